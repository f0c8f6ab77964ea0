package imagine.worker;

import imagine.core.Job;
import imagine.core.Model;
import imagine.core.StorageKeys;
import imagine.core.Texts;
import imagine.worker.telegram.TelegramClient;
import imagine.worker.telegram.TelegramException;
import imagine.worker.telegram.TelegramFile;
import java.io.IOException;
import java.util.Map;

/**
 * What a prediction is made from: the model's input for the job's prompt, aspect ratio and seed, and for a model
 * that works on a picture, a short-lived S3 link to a copy kept for this job alone. The picture is the user's photo,
 * fetched from Telegram once (Telegram's own file address contains the bot token, so it never leaves the worker),
 * or a result of ours (an image to animate). Because the copy is the job's, its link names the job, and a prediction
 * whose answer was lost is recognised by it.
 */
final class ModelInputs {
    /** Telegram lets bots download files up to this size. */
    static final long MAX_BYTES = 20L * 1024 * 1024;

    private final TelegramClient telegram;
    private final MediaStore media;

    ModelInputs(TelegramClient telegram, MediaStore media) {
        this.telegram = telegram;
        this.media = media;
    }

    /** Thrown when the picture cannot be had at all: the job ends with this text for the user. */
    static final class Unavailable extends Exception {
        Unavailable(String userText) {
            super(userText);
        }
    }

    Map<String, Object> forJob(Job job, Model model) throws IOException, Unavailable {
        if (job.isPlanning()) {
            return model.textInput(TextInstructions.systemPrompt(job), job.prompt());
        }
        Map<String, Object> input = model.input(job.prompt(), job.aspectRatio(), seed(job));
        if (job.hasImageInput()) {
            input.put(model.imageField(), media.link(pictureFor(job)));
        }
        return input;
    }

    /**
     * Whether the input names the job, so that a prediction with the same input can only be the job's own: a seed
     * derived from the job id, or the link to the job's own copy of its picture. A seed the user chose names no job
     * (the same request twice, or 🔁 Again on it, makes the same input), nor does a model without seed or picture.
     */
    static boolean identifiesJob(Job job, Model model) {
        return !job.isPlanning() && (model.takesSeed() && job.seed() == null
                || job.hasImageInput() && model.imageField() != null);
    }

    /**
     * The user's seed, or one derived from the job id: stable across retries, different between the variants of one
     * prompt, and above every seed a user may choose, so a chosen seed never makes another job's input.
     */
    static long seed(Job job) {
        if (job.seed() != null) {
            return job.seed();
        }
        return Job.MAX_CHOSEN_SEED + 1 + Integer.toUnsignedLong(job.jobId().hashCode()) % 1_000_000_000L;
    }

    private String pictureFor(Job job) throws IOException, Unavailable {
        String key = StorageKeys.input(job.userId(), job.jobId());
        if (media.exists(key)) {
            return key;
        }
        if (job.mediaKey() != null) {
            if (!media.copy(job.mediaKey(), key)) {
                throw new Unavailable(Texts.forLanguage(job.language()).get("result_gone"));
            }
        } else {
            media.put(key, fetch(job), "image/jpeg");
        }
        return key;
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
