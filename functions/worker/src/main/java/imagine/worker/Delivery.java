package imagine.worker;

import imagine.core.Job;
import imagine.core.Model;
import imagine.core.Texts;
import imagine.worker.telegram.TelegramClient;
import imagine.worker.telegram.TelegramClient.Upload;
import imagine.worker.telegram.TelegramException;
import java.io.IOException;
import java.util.Locale;

/**
 * Sends results and explanations to the chat as replies to the prompt's message, each at the chat's
 * turn so Telegram's per-chat limit is not reached. Waits out a short 429 in place anyway, follows a group's move to a supergroup, and falls back from photo to document when
 * Telegram will not take the file as a photo.
 */
final class Delivery {
    static final int CAPTION_LIMIT = 1024;
    static final long PHOTO_BYTES_LIMIT = 10L * 1024 * 1024;
    private static final int MAX_WAIT_IN_PLACE_SECONDS = 5;
    private static final int ATTEMPTS = 4;

    private final TelegramClient telegram;
    private final ChatPacer pacer;
    private final Sleeper sleeper;

    Delivery(TelegramClient telegram, ChatPacer pacer, Sleeper sleeper) {
        this.telegram = telegram;
        this.pacer = pacer;
        this.sleeper = sleeper;
    }

    void showWorking(Job job) {
        try {
            telegram.sendChatAction(job.chatId(), "upload_photo");
        } catch (IOException | TelegramException e) {
            // Only a hint to the user; the result itself does not depend on it.
        }
    }

    void sendImage(Job job, Model model, byte[] bytes, String contentType) throws IOException {
        Upload upload = new Upload(job.jobId() + extension(contentType), contentType, bytes);
        String caption = caption(job, model);
        if (bytes.length > PHOTO_BYTES_LIMIT) {
            send(job, chat -> telegram.sendFile("sendDocument", "document", chat, upload, caption, job.replyTo()));
            return;
        }
        try {
            send(job, chat -> telegram.sendFile("sendPhoto", "photo", chat, upload, caption, job.replyTo()));
        } catch (TelegramException e) {
            if (e.errorCode() != 400 || !e.description().toUpperCase(Locale.ROOT).contains("PHOTO")) {
                throw e;
            }
            send(job, chat -> telegram.sendFile("sendDocument", "document", chat, upload, caption, job.replyTo()));
        }
    }

    void tell(Job job, String text) throws IOException {
        send(job, chat -> telegram.sendMessage(chat, text, job.replyTo()));
    }

    static String caption(Job job, Model model) {
        String head = Texts.forLanguage(job.language()).get("caption", job.position(), job.total(), model.name());
        String caption = head + "\n" + job.prompt();
        return caption.length() <= CAPTION_LIMIT ? caption : caption.substring(0, CAPTION_LIMIT - 1) + "…";
    }

    private interface Send {
        void to(long chatId) throws IOException;
    }

    private void send(Job job, Send send) throws IOException {
        long chatId = job.chatId();
        for (int attempt = 1; ; attempt++) {
            try {
                awaitTurn(chatId);
                send.to(chatId);
                return;
            } catch (TelegramException e) {
                if (e.migrateToChatId() != null && attempt < ATTEMPTS) {
                    chatId = e.migrateToChatId();
                } else if (e.errorCode() == 429 && e.retryAfter() != null && e.retryAfter() <= MAX_WAIT_IN_PLACE_SECONDS
                        && attempt < ATTEMPTS) {
                    pause(e.retryAfter() * 1000L);
                } else {
                    throw e;
                }
            }
        }
    }

    private void awaitTurn(long chatId) throws IOException {
        try {
            pacer.awaitTurn(chatId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the chat's turn");
        }
    }

    private void pause(long millis) throws IOException {
        try {
            sleeper.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting out Telegram's flood limit");
        }
    }

    static String extension(String contentType) {
        return switch (contentType) {
            case "image/jpeg" -> ".jpg";
            case "image/webp" -> ".webp";
            case "image/gif" -> ".gif";
            case "video/mp4" -> ".mp4";
            default -> ".png";
        };
    }
}
