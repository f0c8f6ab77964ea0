package imagine.worker.telegram;

/** getFile's answer: where a file the user sent can be downloaded from, for at least an hour. */
public record TelegramFile(String fileId, Long fileSize, String filePath) {
}
