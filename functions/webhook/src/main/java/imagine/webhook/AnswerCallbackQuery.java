package imagine.webhook;

import imagine.core.Texts;

/** answerCallbackQuery: stops the button's progress indicator and shows {@code text} as a toast (or an alert). */
record AnswerCallbackQuery(String method, String callbackQueryId, String text, boolean showAlert) implements ResponseCall {
    /** Telegram's limit for the toast's text. */
    static final int MAX_TEXT_LENGTH = 200;

    static AnswerCallbackQuery toast(String callbackQueryId, String text) {
        return new AnswerCallbackQuery("answerCallbackQuery", callbackQueryId, fitted(text), false);
    }

    static AnswerCallbackQuery alert(String callbackQueryId, String text) {
        return new AnswerCallbackQuery("answerCallbackQuery", callbackQueryId, fitted(text), true);
    }

    private static String fitted(String text) {
        return Texts.cut(text, MAX_TEXT_LENGTH);
    }
}
