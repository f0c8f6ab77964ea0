package imagine.core.telegram;

/** A Telegram update with only the kinds the bot acts on; every other kind parses to nulls. */
public record Update(long updateId, Message message, CallbackQuery callbackQuery) {
}
