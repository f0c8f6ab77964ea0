package imagine.worker;

import imagine.core.Texts;
import java.util.ArrayList;
import java.util.List;

/**
 * A text cut into messages Telegram takes (4096 characters each): at the last paragraph break that
 * fits, else the last sentence end, else the last space, and only inside a word when a word is longer
 * than a message, and then never inside a character or an emoji. Counted in UTF-16 units, as Telegram counts.
 */
final class TextParts {
    static final int MESSAGE_LIMIT = 4096;
    private static final String SENTENCE_ENDS = ".!?…";

    private TextParts() {
    }

    static List<String> split(String text, int limit) {
        List<String> parts = new ArrayList<>();
        String rest = text.strip();
        while (rest.length() > limit) {
            int cut = cut(rest, limit);
            parts.add(rest.substring(0, cut).strip());
            rest = rest.substring(cut).strip();
        }
        if (!rest.isEmpty()) {
            parts.add(rest);
        }
        return parts;
    }

    /** Where to end the first part: a position in 1..limit. */
    private static int cut(String text, int limit) {
        int paragraph = text.lastIndexOf("\n\n", limit - 1);
        if (paragraph > 0) {
            return paragraph;
        }
        for (int i = limit - 1; i > 0; i--) {
            if (SENTENCE_ENDS.indexOf(text.charAt(i)) >= 0 && Character.isWhitespace(text.charAt(i + 1))) {
                return i + 1;
            }
        }
        for (int i = limit; i > 0; i--) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        int whole = Texts.lastBoundaryWithin(text, limit);
        return whole > 0 ? whole : limit;
    }
}
