package imagine.worker;

import imagine.core.Job;
import imagine.core.Model;
import imagine.core.Texts;
import imagine.core.telegram.InlineKeyboardMarkup;
import imagine.worker.telegram.TelegramClient.Upload;
import imagine.worker.telegram.TelegramClient;
import imagine.worker.telegram.TelegramException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sends results and explanations to the chat as replies to the prompt's message, each at the chat's
 * turn so Telegram's per-chat limit is not reached. Waits out a short 429 in place anyway, follows a
 * group's move to a supergroup, shortens a caption Telegram finds too long, and falls back from photo
 * to document when Telegram will not take the file as a photo or the user asked for files.
 */
final class Delivery {
    static final int CAPTION_LIMIT = 1024;
    static final long PHOTO_BYTES_LIMIT = 10L * 1024 * 1024;
    /** The Bot API's limit on a file a bot uploads; larger files go out as a link. */
    static final long UPLOAD_BYTES_LIMIT = 50L * 1024 * 1024;
    /** What a caption is cut to when Telegram counts it longer than we do (entities, other encodings). */
    static final int SHORT_CAPTION = 200;
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

    void showWorking(Job job, Model model) {
        try {
            telegram.sendChatAction(job.chatId(), job.isPlanning() ? "typing"
                    : model.isVideo() ? "upload_video" : "upload_photo");
        } catch (IOException | TelegramException e) {
            // Only a hint to the user; the result itself does not depend on it.
        }
    }

    /** How a result goes to Telegram: the Bot API method, its file field, and the largest file it takes. */
    enum Media {
        PHOTO("sendPhoto", "photo", PHOTO_BYTES_LIMIT),
        VIDEO("sendVideo", "video", UPLOAD_BYTES_LIMIT),
        ANIMATION("sendAnimation", "animation", UPLOAD_BYTES_LIMIT),
        DOCUMENT("sendDocument", "document", UPLOAD_BYTES_LIMIT);

        final String method;
        final String field;
        final long maxBytes;

        Media(String method, String field, long maxBytes) {
            this.method = method;
            this.field = field;
            this.maxBytes = maxBytes;
        }

        /** A photo, video or GIF as itself, unless the user asked for files or it is too large to be one. */
        static Media of(String contentType, long bytes, boolean asFile) {
            Media media = asFile ? DOCUMENT
                    : contentType.startsWith("video/") ? VIDEO
                    : contentType.equals("image/gif") ? ANIMATION
                    : PHOTO;
            return bytes <= media.maxBytes ? media : DOCUMENT;
        }
    }

    void sendResult(Job job, Model model, byte[] bytes, String contentType) throws IOException {
        sendResult(job, model, bytes, contentType, null);
    }

    /** The result with {@code buttons} under it (none when null). */
    void sendResult(Job job, Model model, byte[] bytes, String contentType, InlineKeyboardMarkup buttons)
            throws IOException {
        Upload upload = new Upload(job.jobId() + extension(contentType), contentType, bytes);
        String caption = caption(job, model);
        Media media = Media.of(contentType, bytes.length, job.asFile());
        while (true) {
            Media as = media;
            String text = caption;
            try {
                send(job, chat -> telegram.sendFile(as.method, as.field, chat, upload, text, job.replyTo(), buttons));
                return;
            } catch (TelegramException e) {
                String problem = e.errorCode() == 400 ? e.description().toUpperCase(Locale.ROOT) : "";
                if (problem.contains("CAPTION") && problem.contains("TOO LONG") && caption.length() > SHORT_CAPTION) {
                    caption = Texts.cut(caption, SHORT_CAPTION);
                } else if (media != Media.DOCUMENT && problem.contains(media.field.toUpperCase(Locale.ROOT))) {
                    media = Media.DOCUMENT;
                } else {
                    throw e;
                }
            }
        }
    }

    /** For a file Telegram would not take: the caption and a link to download it, valid for {@code minutes}. */
    void sendLink(Job job, Model model, String link, long bytes, long minutes) throws IOException {
        String megabytes = Long.toString((bytes + 1024 * 1024 - 1) / (1024 * 1024));
        tell(job, Texts.forLanguage(job.language()).get("too_large_link", caption(job, model), megabytes, minutes,
                link));
    }

    /**
     * The images of one prompt together: as one album, or as a single file when only one was made. The first
     * carries the model and the prompt. All go as photos, or all as documents when the user asked for files or
     * one is too large for a photo (an album cannot mix them).
     */
    void sendAlbum(Job job, Model model, List<MediaStore.Stored> images) throws IOException {
        String caption = Texts.cut(model.name() + "\n" + job.prompt(), CAPTION_LIMIT);
        boolean photos = images.stream()
                .allMatch(image -> Media.of(image.contentType(), image.bytes().length, job.asFile()) == Media.PHOTO);
        Media as = photos ? Media.PHOTO : Media.DOCUMENT;
        List<Upload> uploads = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            MediaStore.Stored image = images.get(i);
            uploads.add(new Upload(job.albumId() + "-" + (i + 1) + extension(image.contentType()),
                    image.contentType(), image.bytes()));
        }
        if (uploads.size() == 1) {
            send(job, chat -> telegram.sendFile(as.method, as.field, chat, uploads.get(0), caption, job.replyTo()));
        } else {
            send(job, chat -> telegram.sendMediaGroup(chat, as.field, uploads, caption, job.replyTo()));
        }
    }

    /** A result's stored original as a document, uncompressed, replying to the result. */
    void sendOriginal(Job job, byte[] bytes, String contentType) throws IOException {
        Upload upload = new Upload(job.jobId() + extension(contentType), contentType, bytes);
        send(job, chat -> telegram.sendFile(Media.DOCUMENT.method, Media.DOCUMENT.field, chat, upload, null,
                job.replyTo()));
    }

    void tell(Job job, String text) throws IOException {
        send(job, chat -> telegram.sendMessage(chat, text, job.replyTo()));
    }

    /** A text of any length, as one message or several in order, each within Telegram's limit. */
    void sendText(Job job, String text) throws IOException {
        for (String part : TextParts.split(text, TextParts.MESSAGE_LIMIT)) {
            tell(job, part);
        }
    }

    static String caption(Job job, Model model) {
        String head = Texts.forLanguage(job.language()).get("caption", job.position(), job.total(), model.name());
        return Texts.cut(head + "\n" + job.prompt(), CAPTION_LIMIT);
    }

    private interface Send {
        void to(long chatId) throws IOException;
    }

    private void send(Job job, Send send) throws IOException {
        long chatId = job.chatId();
        for (int attempt = 1; ; attempt++) {
            try {
                long chat = chatId;
                waitFor("the chat's turn", () -> pacer.awaitTurn(chat));
                send.to(chatId);
                return;
            } catch (TelegramException e) {
                if (e.migrateToChatId() != null && attempt < ATTEMPTS) {
                    chatId = e.migrateToChatId();
                } else if (e.errorCode() == 429 && e.retryAfter() != null && e.retryAfter() <= MAX_WAIT_IN_PLACE_SECONDS
                        && attempt < ATTEMPTS) {
                    long millis = e.retryAfter() * 1000L;
                    waitFor("Telegram's flood limit", () -> sleeper.sleep(millis));
                } else {
                    throw e;
                }
            }
        }
    }

    private interface Wait {
        void run() throws InterruptedException;
    }

    /** A wait that an interrupt (the invocation being stopped) turns into a retryable I/O failure. */
    private static void waitFor(String what, Wait wait) throws IOException {
        try {
            wait.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + what);
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
