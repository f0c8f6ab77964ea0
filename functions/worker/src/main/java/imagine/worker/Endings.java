package imagine.worker;

import imagine.core.Billing;
import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.Model;
import imagine.core.ModelKind;
import imagine.core.Texts;
import imagine.worker.Ending.Reason;
import imagine.worker.replicate.Prediction;
import imagine.worker.replicate.PredictionStatus;
import java.util.Locale;

/**
 * How each kind of job ends without a result, in the user's words: an image's explanations speak of an image, a
 * video's of a video, an upscale's of upscaling, a planning job's of writing (the same texts under "video.",
 * "upscale." and "text."), and a comparison's name the model that is left out of its album ("compare."). Whether the
 * model charged is judged by how it bills: per output, a prediction without output cost nothing; per run, one that
 * started cost its time.
 */
final class Endings {
    private final Catalog catalog;

    Endings(Catalog catalog) {
        this.catalog = catalog;
    }

    /** A prediction that ended without success; {@code canceledByUser} when the user's /cancel covers the job. */
    Ending of(Job job, Prediction ended, boolean canceledByUser) {
        boolean charged = charged(modelOf(job), ended);
        if (ended.status() == PredictionStatus.CANCELED && canceledByUser) {
            return new Ending(Reason.CANCELED, charged, null);
        }
        if (ended.status() == PredictionStatus.CANCELED || ended.status() == PredictionStatus.ABORTED) {
            return new Ending(Reason.TIMED_OUT, charged, explained(job, "timed_out"));
        }
        String error = ended.errorText();
        Texts texts = Texts.forLanguage(job.language());
        String reason = looksLikeSafetyFilter(error)
                ? texts.get("refused.reason.safety")
                : texts.get("refused.reason.input", error);
        return new Ending(Reason.REFUSED, charged, explained(job, "refused", reason));
    }

    /** The model would not take the input: nothing was created, so nothing was charged. */
    Ending refusedInput(Job job, String detail) {
        return new Ending(Reason.REFUSED, false, explained(job, "refused",
                Texts.forLanguage(job.language()).get("refused.reason.input", detail)));
    }

    /** The user canceled before the prediction was created. */
    Ending canceledBeforeStart() {
        return new Ending(Reason.CANCELED, false, null);
    }

    Ending inputUnavailable(String userText) {
        return new Ending(Reason.INPUT_UNAVAILABLE, false, userText);
    }

    /** The prediction succeeded (and was charged) but its output was removed before it could be kept. */
    Ending outputGone(Job job) {
        return new Ending(Reason.OUTPUT_GONE, true, explained(job, "output_gone"));
    }

    /** Telegram took the result in no form; {@code said} is its reason. */
    Ending undeliverable(Job job, String said) {
        return new Ending(Reason.UNDELIVERABLE, true, explained(job, "undeliverable", said));
    }

    /** Nobody can be told: the chat is gone. */
    Ending chatUnreachable() {
        return new Ending(Reason.CHAT_UNREACHABLE, true, null);
    }

    /** The job failed until it was given up (the dead-letter queue). */
    Ending failedAfterRetries(Job job) {
        return new Ending(Reason.FAILED, true, explained(job, "failed_retries"));
    }

    /** A planning job whose text model answered nothing usable; {@code notice} says so. */
    Ending unusableText(String notice) {
        return new Ending(Reason.REFUSED, true, notice);
    }

    /** Whether Replicate charged for the prediction, by how the model bills. */
    static boolean charged(Model model, Prediction prediction) {
        if (prediction.succeeded()) {
            return true;
        }
        return model.billing() == Billing.PER_RUN && prediction.started();
    }

    /**
     * The text of {@code key} for the job: its arguments are the image's place ({@code {0}/{1}}), the prompt
     * ({@code {2}}) and {@code more}; a comparison's are the model ({@code {0}}), the prompt ({@code {1}}) and
     * {@code more}.
     */
    private String explained(Job job, String key, Object... more) {
        String excerpt = Texts.excerpt(job.prompt());
        Object[] head = comparison(job)
                ? new Object[] {catalog.find(job.model()).map(Model::name).orElse(job.model()), excerpt}
                : new Object[] {job.position(), job.total(), excerpt};
        Object[] args = new Object[head.length + more.length];
        System.arraycopy(head, 0, args, 0, head.length);
        System.arraycopy(more, 0, args, head.length, more.length);
        return Texts.forLanguage(job.language()).get(flavoured(job, key), args);
    }

    /** A planning job's texts speak of writing, a video's of a video, an upscale's of upscaling, not of image 2/4. */
    private String flavoured(Job job, String key) {
        if (job.isPlanning()) {
            return "text." + key;
        }
        if (comparison(job)) {
            return "compare." + key;
        }
        ModelKind kind = catalog.find(job.model()).map(Model::kind).orElse(ModelKind.IMAGE);
        return kind == ModelKind.VIDEO ? "video." + key : kind == ModelKind.UPSCALE ? "upscale." + key : key;
    }

    private static boolean comparison(Job job) {
        return job.comparison() && !job.isPlanning();
    }

    /** The key of the model the job runs, for reports: the text model's for a planning job. */
    String modelKey(Job job) {
        return job.isPlanning() ? catalog.textModel().key() : job.model();
    }

    private Model modelOf(Job job) {
        return job.isPlanning() ? catalog.textModel() : catalog.get(job.model());
    }

    private static boolean looksLikeSafetyFilter(String error) {
        String lower = error.toLowerCase(Locale.ROOT);
        return lower.contains("nsfw") || lower.contains("safety") || lower.contains("sensitive")
                || lower.contains("flagged") || lower.contains("filter");
    }
}
