package imagine.webhook;

import imagine.core.ResultButtons;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * What a button carries: {@code <owner>:<action>:<value>}, e.g. {@code 1001:ar:16:9}. The owner is the user
 * whose settings the menu shows, or whose result the button is under ({@code 1001:ag:<jobId>}, made by
 * {@link imagine.core.ResultButtons}), so in a group nobody changes another member's settings or results.
 */
record ButtonData(long owner, String action, String value) {
    /** Telegram refuses a button whose callback_data is longer (BUTTON_DATA_INVALID). */
    static final int MAX_BYTES = 64;
    static final String MODEL = "m";
    static final String ASPECT_RATIO = "ar";
    static final String COUNT = "n";
    static final String OUTPUT = "o";
    static final String ALBUM = "al";
    private static final Set<String> ACTIONS = Set.of(MODEL, ASPECT_RATIO, COUNT, OUTPUT, ALBUM, ResultButtons.AGAIN,
            ResultButtons.FULL_SIZE, ResultButtons.ANIMATE);

    String encode() {
        String data = owner + ":" + action + ":" + value;
        if (data.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException("callback data over " + MAX_BYTES + " bytes: " + data);
        }
        return data;
    }

    /** Empty for data the bot did not make or no longer makes (a stale button). */
    static Optional<ButtonData> parse(String data) {
        if (data == null) {
            return Optional.empty();
        }
        String[] parts = data.split(":", 3);
        if (parts.length < 3 || !ACTIONS.contains(parts[1]) || parts[2].isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ButtonData(Long.parseLong(parts[0]), parts[1], parts[2]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
