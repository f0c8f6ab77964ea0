package imagine.webhook;

import imagine.core.telegram.ReplyParameters;

/**
 * A sendMessage call carried in the webhook's response body, which Telegram executes itself: the
 * user hears back without the function making an outbound call.
 */
record BotReply(String method, long chatId, String text, ReplyParameters replyParameters) {
    static final int MAX_TEXT_LENGTH = 4096;

    static BotReply message(long chatId, long replyTo, String text) {
        return new BotReply("sendMessage", chatId, fitted(text), ReplyParameters.to(replyTo));
    }

    /** Telegram refuses a longer text outright, so a reply that quotes a huge input is cut instead. */
    private static String fitted(String text) {
        if (text.length() <= MAX_TEXT_LENGTH) {
            return text;
        }
        int end = MAX_TEXT_LENGTH - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }
}
