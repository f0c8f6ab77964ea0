package imagine.local.telegram;

import com.fasterxml.jackson.databind.JsonNode;

/** A message a user sent to the bot, with its Telegram JSON. */
public record Message(long chatId, int messageId, long fromId, String text, String caption, JsonNode json) {
}
