package imagine.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Words and phrases no prompt may contain, from {@code BLOCKED_TERMS} (comma-separated). Matched
 * case-insensitively on whole words: "war" blocks "a war scene" but not "a warm scene"; a phrase
 * matches its words in a row, whatever punctuation or spacing stands between them.
 */
public final class BlockedTerms {
    public static final BlockedTerms NONE = new BlockedTerms(List.of());
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    /** Each term as its words, lower case. */
    private final List<List<String>> terms;

    private BlockedTerms(List<List<String>> terms) {
        this.terms = terms;
    }

    public static BlockedTerms parse(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return NONE;
        }
        return new BlockedTerms(Arrays.stream(commaSeparated.split(","))
                .map(BlockedTerms::words)
                .filter(words -> !words.isEmpty())
                .toList());
    }

    public static BlockedTerms from(Map<String, String> env) {
        return parse(env.get("BLOCKED_TERMS"));
    }

    /** The first blocked term the text contains, as configured (lower case); empty when it has none. */
    public Optional<String> foundIn(String text) {
        if (terms.isEmpty() || text == null) {
            return Optional.empty();
        }
        List<String> words = words(text);
        return terms.stream().filter(term -> Collections.indexOfSubList(words, term) >= 0)
                .map(term -> String.join(" ", term)).findFirst();
    }

    private static List<String> words(String text) {
        return Arrays.stream(NOT_WORD.split(text.toLowerCase(Locale.ROOT)))
                .filter(word -> !word.isEmpty())
                .toList();
    }
}
