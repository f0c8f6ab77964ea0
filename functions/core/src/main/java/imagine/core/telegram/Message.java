package imagine.core.telegram;

import java.util.List;

public record Message(long messageId, User from, Chat chat, String text, String caption, List<PhotoSize> photo) {

    /** The text of a text message, or the caption of a media message. */
    public String textOrCaption() {
        return text != null ? text : caption;
    }
}
