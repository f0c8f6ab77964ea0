package imagine.core.telegram;

/** A tap on an inline keyboard button: who tapped, on which of the bot's messages, and the button's data. */
public record CallbackQuery(String id, User from, Message message, String data) {
}
