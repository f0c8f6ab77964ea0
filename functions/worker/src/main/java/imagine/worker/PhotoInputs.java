package imagine.worker;

import imagine.core.Job;
import imagine.core.StorageKeys;
import imagine.core.Texts;
import imagine.worker.telegram.TelegramClient;
import imagine.worker.telegram.TelegramException;
import imagine.worker.telegram.TelegramFile;
import java.io.IOException;

/**
 * The image a model works on, handed to Replicate as a short-lived S3 link: the user's photo, fetched from
 * Telegram once and kept in S3, or a result of ours already there (an image to animate). Telegram's own file
 * address contains the bot token, so it never leaves the worker.
 */
final class PhotoInputs {
    /** Telegram lets bots download files up to this size. */
    static final long MAX_BYTES = 20L * 1024 * 1024;

    private final TelegramClient telegram;
    private final MediaStore media;

    PhotoInputs(TelegramClient telegram, MediaStore media) {
        this.telegram = telegram;
        this.media = media;
    }

    /** Thrown when the photo cannot be had at all: the job ends with this text for the user. */
    static final class Unavailable extends Exception {
        Unavailable(String userText) {
            super(userText);
        }
    }

    String link(Job job) throws IOException, Unavailable {
        if (job.mediaKey() != null) {
            if (!media.exists(job.mediaKey())) {
                throw new Unavailable(Texts.forLanguage(job.language()).get("result_gone"));
            }
            return media.link(job.mediaKey()).toString();
        }
        String key = StorageKeys.input(job.userId(), job.jobId());
        if (!media.exists(key)) {
            media.put(key, fetch(job), "image/jpeg");
        }
        return media.link(key).toString();
    }

    private byte[] fetch(Job job) throws IOException, Unavailable {
        Texts texts = Texts.forLanguage(job.language());
        try {
            TelegramFile file = telegram.getFile(job.photoFileId());
            if (file.fileSize() != null && file.fileSize() > MAX_BYTES || file.filePath() == null) {
                throw new Unavailable(texts.get("photo_too_large", MAX_BYTES / (1024 * 1024)));
            }
            return telegram.download(file);
        } catch (TelegramException e) {
            if (e.errorCode() == 400 || e.errorCode() == 404) {
                throw new Unavailable(texts.get("photo_unavailable", e.description()));
            }
            throw e;
        }
    }
}
