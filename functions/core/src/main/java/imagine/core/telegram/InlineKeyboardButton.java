package imagine.core.telegram;

/** A button that sends {@code callbackData} (1-64 bytes) back to the bot when tapped. */
public record InlineKeyboardButton(String text, String callbackData) {
}
