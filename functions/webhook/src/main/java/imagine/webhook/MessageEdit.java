package imagine.webhook;

import imagine.core.telegram.InlineKeyboardMarkup;

/** editMessageText of one of the bot's messages: new text and buttons (none: the buttons are removed). */
record MessageEdit(long chatId, long messageId, String text, InlineKeyboardMarkup replyMarkup) {

    static MessageEdit of(long chatId, long messageId, Menu menu) {
        return new MessageEdit(chatId, messageId, BotReply.fitted(menu.text()), menu.keyboard());
    }

    static MessageEdit text(long chatId, long messageId, String text) {
        return new MessageEdit(chatId, messageId, BotReply.fitted(text), null);
    }
}
