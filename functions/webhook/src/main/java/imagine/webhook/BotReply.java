package imagine.webhook;

import imagine.core.telegram.ReplyParameters;

/**
 * A sendMessage call carried in the webhook's response body, which Telegram executes itself: the
 * user hears back without the function making an outbound call.
 */
record BotReply(String method, long chatId, String text, ReplyParameters replyParameters) {

    static BotReply message(long chatId, long replyTo, String text) {
        return new BotReply("sendMessage", chatId, text, ReplyParameters.to(replyTo));
    }
}
