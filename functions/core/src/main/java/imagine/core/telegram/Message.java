package imagine.core.telegram;

import java.util.Comparator;
import java.util.List;

/**
 * A message to the bot: text, or a photo or other media with an optional caption. An animation also carries its file
 * as {@code document}, as Telegram sends it.
 */
public record Message(long messageId, User from, Chat chat, String text, List<PhotoSize> photo, String caption,
                      MediaFile document, MediaFile audio, MediaFile video, MediaFile voice, MediaFile animation) {

    /** The words of the message: its text, or a caption. */
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
