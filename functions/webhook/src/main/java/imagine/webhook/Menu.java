package imagine.webhook;

import imagine.core.telegram.InlineKeyboardMarkup;

/** A message with buttons: the /model and /settings menus. */
record Menu(String text, InlineKeyboardMarkup keyboard) {
}
