package imagine.core.telegram;

public record Message(long messageId, User from, Chat chat, String text) {
}
