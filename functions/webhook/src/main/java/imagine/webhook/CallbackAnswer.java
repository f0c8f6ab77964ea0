package imagine.webhook;

/** answerCallbackQuery: stops the button's progress indicator and shows {@code text} as a toast (or an alert). */
record CallbackAnswer(String method, String callbackQueryId, String text, boolean showAlert) implements ResponseCall {
    /** Telegram's limit for the toast's text. */
    static final int MAX_TEXT_LENGTH = 200;

    static CallbackAnswer toast(String callbackQueryId, String text) {
        return new CallbackAnswer("answerCallbackQuery", callbackQueryId, fitted(text), false);
    }

    static CallbackAnswer alert(String callbackQueryId, String text) {
        return new CallbackAnswer("answerCallbackQuery", callbackQueryId, fitted(text), true);
    }

    private static String fitted(String text) {
        return text.length() <= MAX_TEXT_LENGTH ? text : text.substring(0, MAX_TEXT_LENGTH - 1) + "…";
    }
}
