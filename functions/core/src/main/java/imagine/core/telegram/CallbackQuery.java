package imagine.core.telegram;

public record CallbackQuery(String id, User from, Message message, String data) {
}
