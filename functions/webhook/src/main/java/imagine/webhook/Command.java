package imagine.webhook;

import java.util.Locale;

/**
 * A message's leading bot command, e.g. {@code /imagine@ThisBot a fox}: its name in lower case,
 * the bot it names (empty when none) and the text after it.
 */
record Command(String name, String mention, String argument) {

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

    boolean isFor(String botUsername) {
        return mention.isEmpty() || mention.equalsIgnoreCase(botUsername);
    }
}
