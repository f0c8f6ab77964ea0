package imagine.local.telegram;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How Telegram Desktop sends a text longer than one message may be: as consecutive messages of at most 4096 UTF-16
 * units, each cut, within its second half, at the best place it finds (its {@code TextUtilities::CutPart}): between
 * paragraphs, then at a line break, after a sentence, after a comma or the like, at a space, after punctuation, and
 * only then anywhere, but never inside a character or an emoji. Telegram keeps no whitespace at either end of a
 * message.
 */
final class TextParts {
    private static final Pattern CHARACTER = Pattern.compile("\\X");

    private TextParts() {
    }

    static List<String> of(String text) {
        List<String> parts = new ArrayList<>();
        String left = text;
        while (left.length() > Text.MESSAGE_LIMIT) {
            int cut = bestCut(left);
            parts.add(left.substring(0, cut));
            left = left.substring(cut);
        }
        parts.add(left);
        if (parts.size() == 1) {
            return parts;
        }
        return parts.stream().map(String::strip).filter(part -> !part.isEmpty()).toList();
    }

    /**
     * The last place of the highest rank in the limit's second half, between two characters; the next part starts
     * with the character after it. A single character longer than half the limit is cut where it must be.
     */
    private static int bestCut(String text) {
        int best = Text.MESSAGE_LIMIT;
        int bestRank = 0;
        Matcher character = CHARACTER.matcher(text);
        while (character.find() && character.end() <= Text.MESSAGE_LIMIT) {
            int at = character.end();
            int rank = at > Text.MESSAGE_LIMIT / 2 ? rank(text, at) : 0;
            if (rank >= bestRank) {
                best = at;
                bestRank = rank;
            }
        }
        return best;
    }

    private static int rank(String text, int at) {
        char c = text.charAt(at);
        char before = text.charAt(at - 1);
        if (c == '\n') {
            return at + 1 < text.length() && text.charAt(at + 1) == '\n' ? 7 : 6;
        }
        if (Character.isWhitespace(c)) {
            return ".?!".indexOf(before) >= 0 ? 5 : ",:;".indexOf(before) >= 0 ? 4 : 3;
        }
        return isPunctuation(before) ? 2 : 1;
    }

    private static boolean isPunctuation(char c) {
        int type = Character.getType(c);
        return type == Character.OTHER_PUNCTUATION || type == Character.DASH_PUNCTUATION
                || type == Character.END_PUNCTUATION || type == Character.FINAL_QUOTE_PUNCTUATION;
    }
}
