package imagine.core.telegram;

/** A Telegram update with only the kinds the bot acts on; every other kind parses to a null message. */
public record Update(long updateId, Message message) {
}
