package imagine.worker;

import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.Model;
import imagine.core.Texts;
import imagine.worker.JobRecord.State;
import imagine.worker.JobStore.Versioned;
import imagine.worker.replicate.Prediction;
import imagine.worker.replicate.ReplicateClient;
import imagine.worker.replicate.ReplicateClient.Download;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * Finishes a job whose prediction has ended, for the worker and for Replicate's callback alike: the
 * output copied to S3 and sent, or the user told why there is none. Whoever finishes holds the record
 * (its {@code attempt} and {@code claimedAt}), so a callback and a worker, or two deliveries of one
 * callback, never send the same result side by side.
 */
final class Completion {
    /** A callback's hold on a job is respected this long: longer than a callback invocation can run. */
    static final Duration HOLD_TIMEOUT = Duration.ofSeconds(150);
    /** How a callback names itself in the record it holds. */
    static final String CALLBACK_HOLDER = "callback:";

    private final JobStore store;
    private final MediaStore media;
    private final ReplicateClient replicate;
    private final Delivery delivery;
    private final Catalog catalog;
    private final Clock clock;

    Completion(JobStore store, MediaStore media, ReplicateClient replicate, Delivery delivery, Catalog catalog,
               Clock clock) {
        this.store = store;
        this.media = media;
        this.replicate = replicate;
        this.delivery = delivery;
        this.catalog = catalog;
        this.clock = clock;
    }

    /**
     * @param current the job's record, PREDICTING, held by {@code holder}
     * @param ended   the prediction in a terminal state
     */
    void complete(Job job, Versioned current, Prediction ended, String holder) throws IOException {
        if (!ended.succeeded()) {
            end(job, current, outcomeText(job, ended));
            return;
        }
        deliver(job, storeOutput(job, current, ended, holder));
    }

    /** Sends the stored output and records the job as delivered. */
    void deliver(Job job, Versioned stored) throws IOException {
        Model model = catalog.get(job.model());
        JobRecord record = stored.record();
        byte[] bytes = media.get(record.mediaKey());
        if (bytes.length > Delivery.UPLOAD_BYTES_LIMIT) {
            delivery.sendLink(job, model, media.link(record.mediaKey()).toString(), bytes.length,
                    MediaStore.LINK_LIFETIME.toMinutes());
        } else {
            delivery.sendImage(job, model, bytes, record.mediaType());
        }
        store.replace(job.jobId(), stored, record.with(State.DELIVERED));
    }

    void end(Job job, Versioned current, String explanation) throws IOException {
        delivery.tell(job, explanation);
        store.replace(job.jobId(), current, current.record().with(State.ENDED));
    }

    /** Whether a callback is finishing the job now, so nobody else may. */
    boolean heldByCallback(JobRecord record) {
        return record.attempt() != null && record.attempt().startsWith(CALLBACK_HOLDER) && heldNow(record);
    }

    /** Whether anybody (a worker or a callback) is finishing the job now. */
    boolean heldNow(JobRecord record) {
        return record.attempt() != null && record.claimedAt() > 0
                && clock.millis() - record.claimedAt() < HOLD_TIMEOUT.toMillis();
    }

    /** Milliseconds until a hold taken at {@code claimedAt} runs out. */
    long holdLeft(JobRecord record) {
        return Math.max(0, record.claimedAt() + HOLD_TIMEOUT.toMillis() - clock.millis());
    }

    private Versioned storeOutput(Job job, Versioned current, Prediction prediction, String holder) throws IOException {
        if (prediction.outputUrls().isEmpty()) {
            throw new IOException("prediction " + prediction.id() + " succeeded without an output");
        }
        Download output = replicate.download(prediction.outputUrls().get(0));
        String key = "media/" + job.jobId() + Delivery.extension(output.contentType());
        media.put(key, output.bytes(), output.contentType());
        return store.replace(job.jobId(), current, current.record().stored(key, output.contentType(), holder,
                        clock.millis()))
                .orElseThrow(() -> new RetryLater("job record changed while storing the output",
                        Duration.ofSeconds(1)));
    }

    private String outcomeText(Job job, Prediction prediction) {
        Texts texts = Texts.forLanguage(job.language());
        if ("canceled".equals(prediction.status())) {
            boolean timedOut = prediction.created() != null
                    && prediction.created().plus(JobRunner.PREDICTION_DEADLINE).isBefore(clock.instant());
            return texts.get(timedOut ? "timed_out" : "canceled", job.position(), job.total(),
                    JobRunner.shortPrompt(job));
        }
        String error = prediction.errorText();
        String reason = looksLikeSafetyFilter(error)
                ? texts.get("refused.reason.safety")
                : texts.get("refused.reason.input", error);
        return refusal(job, reason);
    }

    static String refusal(Job job, String reason) {
        return Texts.forLanguage(job.language()).get("refused", job.position(), job.total(), JobRunner.shortPrompt(job),
                reason);
    }

    private static boolean looksLikeSafetyFilter(String error) {
        String lower = error.toLowerCase(Locale.ROOT);
        return lower.contains("nsfw") || lower.contains("safety") || lower.contains("sensitive")
                || lower.contains("flagged") || lower.contains("filter");
    }
}
