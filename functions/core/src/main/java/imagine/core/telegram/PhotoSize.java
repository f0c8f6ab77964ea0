package imagine.core.telegram;

public record PhotoSize(String fileId, int width, int height, Long fileSize) {
}
