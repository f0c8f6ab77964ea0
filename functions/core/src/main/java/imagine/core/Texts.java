package imagine.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything the bot says, in the user's language: Russian for {@code ru*} language codes, English
 * for every other. Texts live in {@code imagine/texts_*.properties}; {@code {0}}, {@code {1}}… are
 * replaced by the arguments, and {@code key.one / key.few / key.many} are plural forms.
 */
public final class Texts {
    private static final Pattern GRAPHEME = Pattern.compile("\\X");
    private static final Texts ENGLISH = load("en");
    private static final Texts RUSSIAN = load("ru");

    private final String language;
    private final Properties texts;

    private Texts(String language, Properties texts) {
        this.language = language;
        this.texts = texts;
    }

    public static Texts forLanguage(String languageCode) {
        return languageCode != null && languageCode.toLowerCase().startsWith("ru") ? RUSSIAN : ENGLISH;
    }

    public String language() {
        return language;
    }

    public String get(String key, Object... args) {
        String text = texts.getProperty(key);
        if (text == null) {
            throw new IllegalArgumentException("no text '" + key + "' in " + language);
        }
        for (int i = 0; i < args.length; i++) {
            text = text.replace("{" + i + "}", String.valueOf(args[i]));
        }
        return text;
    }

    /** A user's prompt as a message quotes it: up to 60 characters, cut with an ellipsis. */
    public static String excerpt(String prompt) {
        return cut(prompt, 60);
    }

    /**
     * The text as it is when it fits in {@code limit} UTF-16 units (as Telegram counts), otherwise cut to fit
     * with an ellipsis at the end; never inside a character, an emoji sequence or a flag.
     */
    public static String cut(String text, int limit) {
        if (text.length() <= limit) {
            return text;
        }
        return text.substring(0, lastBoundaryWithin(text, limit - 1)) + "…";
    }

    /** The largest end of a whole grapheme cluster at or before {@code index}: where a text may be cut. */
    public static int lastBoundaryWithin(String text, int index) {
        Matcher cluster = GRAPHEME.matcher(text);
        int end = 0;
        while (cluster.find() && cluster.end() <= index) {
            end = cluster.end();
        }
        return end;
    }

    /** "{count} {noun}" with the noun in the plural form the count needs. */
    public String count(String key, long count) {
        return count + " " + get(key + "." + pluralForm(count));
    }

    private String pluralForm(long count) {
        if (language.equals("ru")) {
            long lastTwo = count % 100;
            long last = count % 10;
            if (last == 1 && lastTwo != 11) {
                return "one";
            }
            return last >= 2 && last <= 4 && (lastTwo < 12 || lastTwo > 14) ? "few" : "many";
        }
        return count == 1 ? "one" : "many";
    }

    private static Texts load(String language) {
        String resource = "/imagine/texts_" + language + ".properties";
        try (InputStream in = Texts.class.getResourceAsStream(resource)) {
            Properties properties = new Properties();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return new Texts(language, properties);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    /** For tests: every key of one language must exist in the other. */
    static Map<String, Properties> all() {
        return Map.of("en", ENGLISH.texts, "ru", RUSSIAN.texts);
    }
}
