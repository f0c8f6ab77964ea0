package imagine.local.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A message the bot sent, as it stands now (edits applied).
 *
 * @param mediaKind photo, document, video or animation; null for a text message
 * @param fileBytes the file of the media (the largest photo size), null for a text message
 * @param width     the media width when known, else 0
 * @param height    the media height when known, else 0
 * @param editCount how many times the bot edited the message
 * @param json      the Telegram Message object
 */
public record BotMessage(long chatId, int messageId, String text, String caption, String mediaKind, String fileId,
                         byte[] fileBytes, long fileSize, int width, int height, Integer replyToMessageId,
                         JsonNode replyMarkup, int editCount, boolean deleted, JsonNode json) {

    public boolean isPhoto() {
        return "photo".equals(mediaKind);
    }

    /** The text, or the caption of a media message. */
    public String textOrCaption() {
        return text != null ? text : caption;
    }

    /** The labels of its inline buttons, row by row; empty without any. */
    public List<String> buttonLabels() {
        return buttons().stream().map(button -> button.get("text").asText()).toList();
    }

    /** The callback data of the button labelled {@code label}, a chosen one's "✅ " mark aside. */
    public String buttonData(String label) {
        return buttons().stream().filter(button -> button.get("text").asText().replace("✅ ", "").equals(label))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no button " + label + " in "
                        + buttonLabels())).get("callback_data").asText();
    }

    private List<JsonNode> buttons() {
        return replyMarkup == null ? List.of() : replyMarkup.path("inline_keyboard").findParents("callback_data");
    }
}
