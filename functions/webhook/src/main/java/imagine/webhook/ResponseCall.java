package imagine.webhook;

/**
 * A Bot API call carried in the webhook's response body, which Telegram executes itself: the user
 * hears back without the function making an outbound call. One method per response.
 */
sealed interface ResponseCall permits BotReply, AnswerCallbackQuery {
}
