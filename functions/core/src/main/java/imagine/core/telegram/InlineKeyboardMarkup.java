package imagine.core.telegram;

import java.util.List;

/** Rows of buttons under a message. */
public record InlineKeyboardMarkup(List<List<InlineKeyboardButton>> inlineKeyboard) {
}
