package imagine.webhook;

import imagine.core.Texts;
import imagine.core.telegram.InlineKeyboardMarkup;
import imagine.core.telegram.ReplyParameters;

/** A sendMessage call carried in the webhook's response body, optionally with buttons under the message. */
record BotReply(String method, long chatId, String text, ReplyParameters replyParameters,
                InlineKeyboardMarkup replyMarkup) implements ResponseCall {
    static final int MAX_TEXT_LENGTH = 4096;

    static BotReply message(long chatId, long replyTo, String text) {
        return new BotReply("sendMessage", chatId, fitted(text), ReplyParameters.to(replyTo), null);
    }

    static BotReply withKeyboard(long chatId, long replyTo, Menu menu) {
        return new BotReply("sendMessage", chatId, fitted(menu.text()), ReplyParameters.to(replyTo), menu.keyboard());
    }

    /** Telegram refuses a longer text outright, so a reply that quotes a huge input is cut instead. */
    static String fitted(String text) {
        return Texts.cut(text, MAX_TEXT_LENGTH);
    }
}
