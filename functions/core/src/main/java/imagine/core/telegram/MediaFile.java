package imagine.core.telegram;

/**
 * A file a user sent other than a photo: Telegram's Document, Audio, Video, Voice or Animation, with the fields the bot
 * reads. The MIME type is the sender's word for it.
 *
 * @param fileSize null when Telegram does not know it
 */
public record MediaFile(String fileId, String mimeType, Long fileSize) {
}
