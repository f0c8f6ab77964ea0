package imagine.core.telegram;

public record User(long id, boolean isBot, String firstName, String username, String languageCode) {
}
