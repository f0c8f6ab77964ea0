package imagine.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import imagine.core.Cancellations;
import imagine.core.Catalog;
import imagine.core.DeliveredResult;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.Model;
import imagine.core.ResultButtons;
import imagine.core.StorageKeys;
import imagine.core.Texts;
import imagine.core.telegram.InlineKeyboardMarkup;
import imagine.worker.JobRecord.State;
import imagine.worker.JobStore.Versioned;
import imagine.worker.replicate.Prediction;
import imagine.worker.replicate.ReplicateClient.Download;
import imagine.worker.replicate.ReplicateClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

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
    private final PlanningResults planningResults;
    private final QuotaRefunds refunds;
    private final Cancellations cancellations;
    private final Albums albums;
    private final Catalog catalog;
    private final Clock clock;

    Completion(JobStore store, MediaStore media, ReplicateClient replicate, Delivery delivery, PlanningResults planningResults,
               QuotaRefunds refunds, Cancellations cancellations, Albums albums, Catalog catalog, Clock clock) {
        this.cancellations = cancellations;
        this.albums = albums;
        this.store = store;
        this.media = media;
        this.replicate = replicate;
        this.delivery = delivery;
        this.planningResults = planningResults;
        this.refunds = refunds;
        this.catalog = catalog;
        this.clock = clock;
    }

    /**
     * @param current the job's record, PREDICTING, held by {@code holder} (a planning job's may be FANNED_OUT)
     * @param ended   the prediction in a terminal state
     */
    void complete(Job job, Versioned current, Prediction ended, String holder) throws IOException {
        if (canceled(job)) {
            drop(job, current);
            return;
        }
        if (!ended.succeeded()) {
            end(job, current, outcomeText(job, ended));
            return;
        }
        if (job.isPlanning()) {
            Optional<String> noResult = planningResults.finish(job, current, ended);
            if (noResult.isPresent()) {
                end(job, current, noResult.get());
            }
            return;
        }
        send(job, storeOutput(job, current, ended, holder));
    }

    /** Sends the stored output and records the job as delivered. */
    void deliver(Job job, Versioned stored) throws IOException {
        if (canceled(job)) {
            drop(job, stored);
            return;
        }
        send(job, stored);
    }

    private void send(Job job, Versioned stored) throws IOException {
        Model model = catalog.get(job.model());
        JobRecord record = stored.record();
        if (job.albumSize() > 1) {
            albums.add(job, model, record.mediaKey());
        } else {
            byte[] bytes = media.get(record.mediaKey());
            if (bytes.length > Delivery.UPLOAD_BYTES_LIMIT) {
                delivery.sendLink(job, model, media.link(record.mediaKey()).toString(), bytes.length,
                        MediaStore.LINK_LIFETIME.toMinutes());
            } else {
                delivery.sendResult(job, model, bytes, record.mediaType(), buttons(job, record));
            }
        }
        store.replace(job.jobId(), stored, record.with(State.DELIVERED));
    }

    /**
     * The buttons under a result. What they act on is written first to {@code results/<jobId>.json}, the only
     * place the webhook learns it from, so a button works as soon as the user sees it.
     */
    private InlineKeyboardMarkup buttons(Job job, JobRecord record) {
        DeliveredResult result = new DeliveredResult(job, record.mediaKey(), record.mediaType());
        try {
            media.put(StorageKeys.result(job.userId(), job.jobId()), Json.MAPPER.writeValueAsBytes(result), "application/json");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return ResultButtons.under(job, result.isStillImage() && catalog.animationModel().isPresent());
    }

    /** A full-size task: the result's stored original as a document, or why it cannot be had any more. */
    void sendOriginal(Job job, Versioned current) throws IOException {
        Optional<MediaStore.Stored> original = media.find(job.mediaKey());
        if (original.isEmpty()) {
            end(job, current, Texts.forLanguage(job.language()).get("result_gone"));
            return;
        }
        delivery.sendOriginal(job, original.get().bytes(), original.get().contentType());
        store.replace(job.jobId(), current, current.record().with(State.DELIVERED));
    }

    /**
     * The job ends without a result: its unit goes back to the user's day (first: it is done once however
     * often this is retried), the user is told why, and the job is marked ended.
     */
    void end(Job job, Versioned current, String explanation) throws IOException {
        refunds.giveBack(job);
        delivery.tell(job, explanation);
        if (job.albumSize() > 1) {
            albums.leaveOut(job, catalog.get(job.model()));
        }
        store.replace(job.jobId(), current, current.record().with(State.ENDED));
    }

    /** Whether the user canceled the job with {@code /cancel}. */
    boolean canceled(Job job) {
        return cancellations.isCanceled(job);
    }

    /** A canceled job ends without a word: the user was told when they canceled. Its unit goes back. */
    void drop(Job job, Versioned current) throws IOException {
        refunds.giveBack(job);
        if (job.albumSize() > 1) {
            albums.leaveOut(job, catalog.get(job.model()));
        }
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
        String key = StorageKeys.media(job.userId(), job.jobId(), Delivery.extension(output.contentType()));
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
            return texts.get(textKey(job, catalog, timedOut ? "timed_out" : "canceled"), job.position(), job.total(),
                    JobRunner.shortPrompt(job));
        }
        String error = prediction.errorText();
        String reason = looksLikeSafetyFilter(error)
                ? texts.get("refused.reason.safety")
                : texts.get("refused.reason.input", error);
        return refusal(job, reason);
    }

    String refusal(Job job, String reason) {
        return Texts.forLanguage(job.language()).get(textKey(job, catalog, "refused"), job.position(), job.total(),
                JobRunner.shortPrompt(job), reason);
    }

    /**
     * A planning job's explanations speak of writing, a video's of a video, not of drawing image 2/4: the same
     * texts under "text." and "video.".
     */
    static String textKey(Job job, Catalog catalog, String key) {
        return job.isPlanning() ? "text." + key
                : catalog.find(job.model()).filter(Model::isVideo).isPresent() ? "video." + key
                : key;
    }

    private static boolean looksLikeSafetyFilter(String error) {
        String lower = error.toLowerCase(Locale.ROOT);
        return lower.contains("nsfw") || lower.contains("safety") || lower.contains("sensitive")
                || lower.contains("flagged") || lower.contains("filter");
    }
}
