package imagine.core.telegram;

import java.util.Comparator;
import java.util.List;

/** A message to the bot: text, or a photo with an optional caption. */
public record Message(long messageId, User from, Chat chat, String text, List<PhotoSize> photo, String caption) {

    public Message(long messageId, User from, Chat chat, String text) {
        this(messageId, from, chat, text, null, null);
    }

    /** The words of the message: its text, or a photo's caption. */
    public String words() {
        return text != null ? text : caption;
    }

    /** The photo's largest size, or null when the message has no photo. */
    public PhotoSize largestPhoto() {
        return photo == null ? null : photo.stream()
                .filter(size -> size != null && size.fileId() != null)
                .max(Comparator.comparingLong(size -> (long) size.width() * size.height()))
                .orElse(null);
    }
}
