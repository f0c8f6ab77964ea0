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

/**
 * Sends results and explanations to the chat as replies to the prompt's message, each at its turn so neither
 * Telegram's per-chat limit nor its per-bot limit is reached. Waits out a short 429 in place, follows a group's move
 * to a supergroup, shortens a caption Telegram finds too long, and when Telegram will not take a result as it was sent
 * (the file, or a group's rights), sends it as a document, then as a link; only a chat that can receive nothing at all
 * ({@link ChatUnreachable}) or a result Telegram takes in no form ({@link Undeliverable}) stops it.
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
    private final MediaStore media;

    Delivery(TelegramClient telegram, ChatPacer pacer, Sleeper sleeper, MediaStore media) {
        this.telegram = telegram;
        this.pacer = pacer;
        this.sleeper = sleeper;
        this.media = media;
    }

    /** The chat can receive nothing from the bot (blocked, removed, gone): nobody is there to tell. */
    static final class ChatUnreachable extends IOException {
        ChatUnreachable(TelegramException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Telegram takes the result in no form the bot can send; {@link #getMessage()} is what Telegram said. */
    static final class Undeliverable extends IOException {
        Undeliverable(TelegramException cause) {
            super(cause.description(), cause);
        }
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

    /**
     * A result, captioned, with {@code buttons} under it (null for none): as a photo, video or animation, else as a
     * document, else as a link to the stored file.
     */
    void sendResult(Job job, Model model, MediaStore.Stored result, InlineKeyboardMarkup buttons) throws IOException {
        sendFile(job, caption(job, model), result, buttons);
    }

    private void sendFile(Job job, String caption, MediaStore.Stored result, InlineKeyboardMarkup buttons)
            throws IOException {
        if (result.bytes().length > UPLOAD_BYTES_LIMIT) {
            sendLink(job, caption, result, "too_large_link");
            return;
        }
        Upload upload = new Upload(job.jobId() + extension(result.contentType()), result.contentType(), result.bytes());
        Media as = Media.of(result.contentType(), result.bytes().length, job.asFile());
        while (true) {
            Media media = as;
            String text = caption;
            try {
                send(job, 1, chat -> telegram.sendFile(media.method, media.field, chat, upload, text, job.replyTo(),
                        buttons));
                return;
            } catch (TelegramException e) {
                if (e.captionTooLong() && caption.length() > SHORT_CAPTION) {
                    caption = Texts.cut(caption, SHORT_CAPTION);
                } else if (as != Media.DOCUMENT && (e.fileRefused(as.field) || e.kindForbidden())) {
                    as = Media.DOCUMENT;
                } else if (e.fileRefused(as.field) || e.kindForbidden()) {
                    sendLink(job, caption, result, "refused_link");
                    return;
                } else {
                    throw undeliverable(e);
                }
            }
        }
    }

    /**
     * A file Telegram would not take: the caption and a link to download it, valid for a while.
     *
     * @param why {@code too_large_link} or {@code refused_link}
     */
    private void sendLink(Job job, String caption, MediaStore.Stored file, String why) throws IOException {
        String megabytes = Long.toString((file.bytes().length + 1024 * 1024 - 1) / (1024 * 1024));
        tell(job, Texts.forLanguage(job.language()).get(why, caption, megabytes, MediaStore.LINK_LIFETIME.toMinutes(),
                media.link(file.key())));
    }

    /** An image of an album and its {@link #label}, null when it has none. */
    record Labelled(MediaStore.Stored image, String label) {
    }

    /**
     * The images of one prompt together: as one album, or as a single file when only one was made. The first
     * carries its label (the model, when it has none) and the prompt; the others carry their labels when each says
     * something of its own (the images of a comparison, or of seeds the user chose). All go as photos, or all as
     * documents when the user asked for files or one is too large for a photo (an album cannot mix them).
     *
     * @param job   the job that sends the album, one of its images
     * @param model the model of the sender's image
     */
    void sendAlbum(Job job, Model model, List<Labelled> images) throws IOException {
        boolean eachLabelled = job.comparison() || job.seed() != null;
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            String label = images.get(i).label();
            captions.add(i == 0 ? Texts.cut((label != null ? label : model.name()) + "\n" + job.prompt(), CAPTION_LIMIT)
                    : eachLabelled ? label : null);
        }
        if (images.size() == 1) {
            sendFile(job, captions.get(0), images.get(0).image(), null);
            return;
        }
        boolean photos = images.stream().map(Labelled::image)
                .allMatch(image -> Media.of(image.contentType(), image.bytes().length, job.asFile()) == Media.PHOTO);
        Media as = photos ? Media.PHOTO : Media.DOCUMENT;
        List<Upload> uploads = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            MediaStore.Stored image = images.get(i).image();
            uploads.add(new Upload(job.albumId() + "-" + (i + 1) + extension(image.contentType()),
                    image.contentType(), image.bytes()));
        }
        try {
            // Telegram counts each picture of an album as a message.
            send(job, uploads.size(),
                    chat -> telegram.sendMediaGroup(chat, as.field, uploads, captions, job.replyTo()));
        } catch (TelegramException e) {
            if (!e.fileRefused(as.field) && !e.kindForbidden()) {
                throw undeliverable(e);
            }
            // One by one, each as it can go.
            for (int i = 0; i < images.size(); i++) {
                sendFile(job, captions.get(i), images.get(i).image(), null);
            }
        }
    }

    /**
     * A result's stored original as a document, uncompressed, replying to the result; a link if it cannot be. Its
     * name says the seed it was made with, so the same picture can be asked for again with {@code --seed}.
     */
    void sendOriginal(Job job, MediaStore.Stored original) throws IOException {
        if (original.bytes().length > UPLOAD_BYTES_LIMIT) {
            sendLink(job, job.prompt(), original, "too_large_link");
            return;
        }
        String name = job.seed() == null ? job.jobId() : job.jobId() + "-seed-" + job.seed();
        Upload upload = new Upload(name + extension(original.contentType()), original.contentType(),
                original.bytes());
        try {
            send(job, 1, chat -> telegram.sendFile(Media.DOCUMENT.method, Media.DOCUMENT.field, chat, upload, null,
                    job.replyTo(), null));
        } catch (TelegramException e) {
            if (!e.fileRefused(Media.DOCUMENT.field) && !e.kindForbidden()) {
                throw undeliverable(e);
            }
            sendLink(job, job.prompt(), original, "refused_link");
        }
    }

    void tell(Job job, String text) throws IOException {
        try {
            send(job, 1, chat -> telegram.sendMessage(chat, text, job.replyTo()));
        } catch (TelegramException e) {
            throw undeliverable(e);
        }
    }

    /** A text of any length, as one message or several in order, each within Telegram's limit. */
    void sendText(Job job, String text) throws IOException {
        for (String part : TextParts.split(text, TextParts.MESSAGE_LIMIT)) {
            tell(job, part);
        }
    }

    static String caption(Job job, Model model) {
        String head = Texts.forLanguage(job.language()).get("caption", job.position(), job.total(), label(job, model));
        return Texts.cut(head + "\n" + job.prompt(), CAPTION_LIMIT);
    }

    /**
     * What names the job's picture: its model, then the ratio it was drawn in when the user asked for one the model
     * does not take, and the seed when the user chose it.
     */
    static String label(Job job, Model model) {
        Texts texts = Texts.forLanguage(job.language());
        StringBuilder label = new StringBuilder(model.name());
        if (job.askedRatio() != null) {
            label.append(" · ").append(texts.get("caption.nearest_ratio", job.aspectRatio(), job.askedRatio()));
        }
        if (job.seed() != null) {
            label.append(" · ").append(texts.get("caption.seed", job.seed()));
        }
        return label.toString();
    }

    /**
     * A refusal that no other form of the message can get past: the chat is gone, or Telegram will not take the
     * message (a 400 it explains). Anything else (a long flood wait, Telegram's own trouble) is left to be tried again.
     */
    private static IOException undeliverable(TelegramException e) {
        if (e.chatUnreachable()) {
            return new ChatUnreachable(e);
        }
        if (e.errorCode() == 400) {
            return new Undeliverable(e);
        }
        throw e;
    }

    private interface Send {
        void to(long chatId) throws IOException;
    }

    private void send(Job job, int messages, Send send) throws IOException {
        long chatId = job.chatId();
        for (int attempt = 1; ; attempt++) {
            try {
                long chat = chatId;
                waitFor("the chat's turn", () -> pacer.awaitTurn(chat, messages));
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
