package imagine.core.telegram;

/** One size of a photo a user sent; Telegram sends several, the largest last. */
public record PhotoSize(String fileId, int width, int height, Long fileSize) {
}
