package imagine.webhook;

import imagine.core.Catalog;
import imagine.core.Model;
import imagine.core.ResultButtons;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a button carries: {@code <owner>:<action>:<value>}, e.g. {@code 1001:ar:16:9}. The owner is the user
 * whose settings the menu shows, or whose result the button is under ({@code 1001:ag:<jobId>}, made by
 * {@link imagine.core.ResultButtons}), so in a group nobody changes another member's settings or results.
 *
 * <p>A modified client can send any data, so only what the bot itself makes is read: an owner of digits that fits a
 * long, a known action, and a value of the shape the bot makes for that action (a job id, a catalog key, an aspect
 * ratio some model of the catalog takes, a fixed choice). Anything else is a stale button and reaches nothing.
 */
record ButtonData(long owner, String action, String value) {
    /** Telegram refuses a button whose callback_data is longer (BUTTON_DATA_INVALID). */
    static final int MAX_BYTES = 64;
    static final String MODEL = "m";
    static final String ASPECT_RATIO = "ar";
    static final String COUNT = "n";
    static final String OUTPUT = "o";
    static final String ALBUM = "al";
    static final String FORGET = "fg";
    /**
     * Longer than any job id under a result (an idea's image of the largest update id, {@code <19 digits>-idea-10}, has
     * 27 characters), and short enough for any owner's button to fit {@link #MAX_BYTES}.
     */
    static final int MAX_JOB_ID_LENGTH = 40;
    private static final Pattern OWNER = Pattern.compile("[0-9]{1,19}");
    private static final Pattern JOB_ID = Pattern.compile("[0-9]+(-[a-z0-9]+)+");
    private static final Pattern CATALOG_KEY = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final List<String> COUNTS = List.of("1", "2", "3", "4");
    private static final List<String> OUTPUTS = List.of("photo", "file");
    private static final List<String> ALBUM_CHOICES = List.of("on", "off");
    private static final List<String> FORGET_CHOICES = List.of(ForgetButtonTaps.DELETE, ForgetButtonTaps.KEEP);

    String encode() {
        String data = owner + ":" + action + ":" + value;
        if (data.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException("callback data over " + MAX_BYTES + " bytes: " + data);
        }
        return data;
    }

    /** Empty for data the bot did not make or no longer makes (a stale button). */
    static Optional<ButtonData> parse(String data, Catalog catalog) {
        if (data == null || data.length() > MAX_BYTES || data.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return Optional.empty();
        }
        String[] parts = data.split(":", 3);
        if (parts.length < 3 || !OWNER.matcher(parts[0]).matches() || !madeByTheBot(parts[1], parts[2], catalog)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ButtonData(Long.parseLong(parts[0]), parts[1], parts[2]));
        } catch (NumberFormatException pastALong) {
            return Optional.empty();
        }
    }

    /**
     * A model key is checked for its shape only, so a button of a model that has left the catalog still says so;
     * an aspect ratio must be one the catalog lists.
     */
    private static boolean madeByTheBot(String action, String value, Catalog catalog) {
        return switch (action) {
            case MODEL -> CATALOG_KEY.matcher(value).matches();
            case ASPECT_RATIO -> catalog.models().stream().map(Model::aspectRatios).filter(Objects::nonNull)
                    .anyMatch(ratios -> ratios.contains(value));
            case COUNT -> COUNTS.contains(value);
            case OUTPUT -> OUTPUTS.contains(value);
            case ALBUM -> ALBUM_CHOICES.contains(value);
            case FORGET -> FORGET_CHOICES.contains(value);
            case ResultButtons.AGAIN, ResultButtons.FULL_SIZE, ResultButtons.ANIMATE, ResultButtons.UPSCALE ->
                    value.length() <= MAX_JOB_ID_LENGTH && JOB_ID.matcher(value).matches();
            default -> false;
        };
    }
}
