package imagine.webhook;

import imagine.core.telegram.MediaFile;
import imagine.core.telegram.Message;
import imagine.core.telegram.PhotoSize;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a message carries besides its words, as the bot sees it: a picture to work on (a photo's largest size, or an
 * image sent as a file in a type the models read), an image in another type, other media, or nothing.
 *
 * @param fileId   Telegram's file id of the picture, null unless {@link Kind#PICTURE}
 * @param fileSize the picture's size in bytes when Telegram knows it
 */
record Attachment(Kind kind, String fileId, Long fileSize) {
    static final Attachment NONE = new Attachment(Kind.NONE, null, null);
    /** What the edit and video models read; another type sent as a photo is converted by Telegram. */
    private static final Set<String> PICTURE_TYPES = Set.of("image/jpeg", "image/png", "image/webp");

    enum Kind {
        NONE,
        PICTURE,
        /** An image file of a type the models do not read (HEIC, GIF, SVG, …). */
        OTHER_IMAGE,
        /** Audio, a video, a voice message, an animation or a file that is no image. */
        OTHER_MEDIA
    }

    static Attachment of(Message message) {
        PhotoSize photo = message.largestPhoto();
        if (photo != null) {
            return new Attachment(Kind.PICTURE, photo.fileId(), photo.fileSize());
        }
        if (Stream.of(message.audio(), message.video(), message.voice(), message.animation())
                .anyMatch(Objects::nonNull)) {
            return new Attachment(Kind.OTHER_MEDIA, null, null);
        }
        MediaFile document = message.document();
        if (document == null || document.fileId() == null) {
            return NONE;
        }
        String type = document.mimeType() == null ? "" : document.mimeType().toLowerCase(Locale.ROOT);
        if (PICTURE_TYPES.contains(type)) {
            return new Attachment(Kind.PICTURE, document.fileId(), document.fileSize());
        }
        return new Attachment(type.startsWith("image/") ? Kind.OTHER_IMAGE : Kind.OTHER_MEDIA, null, null);
    }

    boolean isPicture() {
        return kind == Kind.PICTURE;
    }
}
