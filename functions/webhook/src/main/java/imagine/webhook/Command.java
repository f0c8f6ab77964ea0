package imagine.webhook;

import java.util.Locale;
import java.util.Set;

/**
 * A message's leading bot command, e.g. {@code /imagine@ThisBot a fox}: its name in lower case,
 * the bot it names (empty when none) and the text after it.
 */
record Command(String name, String mention, String argument) {
    /** The bot's commands: a line that starts with one is a command, never a prompt. */
    private static final Set<String> KNOWN = Set.of("start", "help", "imagine", "compare", "video", "idea", "write",
            "model", "settings", "usage", "cancel", "forget", "stats");
    /** Commands whose text is drawn line by line (an idea's lines are one idea, still to be drawn). */
    private static final Set<String> DRAWING = Set.of("imagine", "compare", "video", "idea");

    /** Returns null when the text does not start with a command. */
    static Command parse(String text) {
        if (!text.startsWith("/") || text.length() < 2) {
            return null;
        }
        int end = 1;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        String head = text.substring(1, end);
        int at = head.indexOf('@');
        String name = (at < 0 ? head : head.substring(0, at)).toLowerCase(Locale.ROOT);
        String mention = at < 0 ? "" : head.substring(at + 1);
        return new Command(name, mention, text.substring(end).strip());
    }

    boolean isKnown() {
        return KNOWN.contains(name);
    }

    /** Whether more lines after the command belong to it: what to draw, an idea, or a request to write. */
    boolean takesLines() {
        return drawsItsLines() || name.equals("write") || !isKnown();
    }

    boolean drawsItsLines() {
        return DRAWING.contains(name);
    }

    boolean isFor(String botUsername) {
        return mention.isEmpty() || mention.equalsIgnoreCase(botUsername);
    }
}
