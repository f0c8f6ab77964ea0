package imagine.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import imagine.core.Catalog;
import imagine.core.DeliveredResult;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.Model;
import imagine.core.ResultButtons;
import imagine.core.Texts;
import imagine.core.telegram.InlineKeyboardMarkup;
import imagine.worker.JobRecord.State;
import imagine.worker.JobStore.Versioned;
import imagine.worker.replicate.Prediction;
import imagine.worker.replicate.ReplicateClient;
import imagine.worker.replicate.ReplicateClient.Download;
import imagine.worker.replicate.ReplicateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Takes one job from wherever an earlier attempt left it to its end: claim, one prediction, output
 * copied to S3, reply. A planning job runs its text prediction the same way and hands the answer to the
 * {@link Planner}. Every step is recorded in the job's record first, so a redelivered or
 * concurrent copy of the message resumes the same prediction instead of paying for another.
 */
final class JobRunner {
    /** How long a claim without a prediction id holds off other attempts: longer than a create call can take. */
    static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(30);
    /** Images longer than this in the making are canceled and the user is told. */
    static final Duration PREDICTION_DEADLINE = Duration.ofMinutes(10);
    /**
     * Kept short: until the create call returns, the prediction's id is known only to Replicate, so a
     * worker that dies then leaves a prediction the next attempt has to find by its input.
     */
    private static final int CREATE_WAIT_SECONDS = 1;
    private static final long POLL_FIRST_MILLIS = 500;
    private static final long POLL_MAX_MILLIS = 1000;
    /** Time kept back from the invocation's budget to write state and answer the event source. */
    private static final long SAFETY_MILLIS = 10_000;

    private final JobStore store;
    private final MediaStore media;
    private final ReplicateClient replicate;
    private final Delivery delivery;
    private final Planner planner;
    private final PhotoInputs photos;
    private final Catalog catalog;
    private final Clock clock;
    private final Sleeper sleeper;
    private final QuotaRefunds refunds;
    private final Albums albums;

    JobRunner(JobStore store, MediaStore media, PhotoInputs photos, ReplicateClient replicate, Delivery delivery,
              Planner planner, Catalog catalog, Clock clock, Sleeper sleeper, QuotaRefunds refunds, Albums albums) {
        this.store = store;
        this.media = media;
        this.replicate = replicate;
        this.delivery = delivery;
        this.planner = planner;
        this.photos = photos;
        this.catalog = catalog;
        this.clock = clock;
        this.sleeper = sleeper;
        this.refunds = refunds;
        this.albums = albums;
    }

    /** How a message's run ended when it did not throw. */
    enum Outcome {
        /** The job is finished, by this run or an earlier one. */
        FINISHED,
        /** Another message carries this job; this one is dropped. */
        DUPLICATE
    }

    /**
     * Runs the job as far as it can. Returns when the job needs nothing more from this message;
     * throws when it must be tried again ({@link Failures} decides when).
     *
     * @param messageId the SQS message carrying the job: the same on every receive of that message
     */
    Outcome run(Job job, String messageId, LongSupplier remainingMillis) throws IOException {
        if (Job.FULL_SIZE.equals(job.task())) {
            return sendOriginal(job, claim(job, messageId).record(), messageId);
        }
        Model model = job.isPlanning() ? catalog.textModel() : catalog.get(job.model());
        Claim claim = claim(job, messageId);
        Versioned current = claim.record();
        if (!messageId.equals(current.record().owner())) {
            return Outcome.DUPLICATE;
        }
        if (current.record().isFinished()) {
            return Outcome.FINISHED;
        }
        Prediction prediction = null;
        if (current.record().state() == State.CLAIMED) {
            delivery.showWorking(job, model);
            Created created = create(job, model, current, claim.abandonedAt());
            if (created == null) {
                return Outcome.FINISHED;
            }
            current = created.record();
            prediction = created.prediction();
        }
        // A planning job past its prediction (FANNED_OUT) reads the finished answer again to finish telling the user.
        if (current.record().state() == State.PREDICTING || job.isPlanning()) {
            prediction = await(job, current.record().predictionId(), prediction, remainingMillis);
            if (!prediction.succeeded()) {
                end(job, current, outcomeText(job, prediction));
                return Outcome.FINISHED;
            }
            if (job.isPlanning()) {
                Optional<String> noResult = planner.finish(job, current, prediction);
                if (noResult.isPresent()) {
                    end(job, current, noResult.get());
                }
                return Outcome.FINISHED;
            }
            current = storeOutput(job, current, prediction);
        }
        if (job.albumSize() > 1) {
            albums.add(job, model, current.record().mediaKey());
        } else {
            byte[] bytes = media.get(current.record().mediaKey());
            delivery.sendResult(job, model, bytes, current.record().mediaType(), buttons(job, current.record()));
        }
        store.replace(job.jobId(), current, current.record().with(State.DELIVERED));
        return Outcome.FINISHED;
    }

    /**
     * The buttons under a result. What they act on is written first to {@code results/<jobId>.json}, the only
     * place the webhook learns it from, so a button works as soon as the user sees it.
     */
    private InlineKeyboardMarkup buttons(Job job, JobRecord record) {
        DeliveredResult result = new DeliveredResult(job, record.mediaKey(), record.mediaType());
        try {
            media.put(DeliveredResult.key(job.jobId()), Json.MAPPER.writeValueAsBytes(result), "application/json");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return ResultButtons.under(job, result.isStillImage() && catalog.animationModel().isPresent());
    }

    /** A full-size task: the result's stored original as a document, or why it cannot be had any more. */
    private Outcome sendOriginal(Job job, Versioned current, String messageId) throws IOException {
        if (!messageId.equals(current.record().owner())) {
            return Outcome.DUPLICATE;
        }
        if (current.record().isFinished()) {
            return Outcome.FINISHED;
        }
        Optional<MediaStore.Stored> original = media.find(job.mediaKey());
        if (original.isEmpty()) {
            end(job, current, Texts.forLanguage(job.language()).get("result_gone"));
            return Outcome.FINISHED;
        }
        delivery.sendOriginal(job, original.get().bytes(), original.get().contentType());
        store.replace(job.jobId(), current, current.record().with(State.DELIVERED));
        return Outcome.FINISHED;
    }

    /**
     * @param abandonedAt when an earlier attempt that died claimed the job, if this attempt took its claim
     *                    over: that attempt may have created a prediction without recording it
     */
    private record Claim(Versioned record, Long abandonedAt) {
    }

    /**
     * Returns the job's record with this attempt holding the claim, or as it stands when another
     * message owns the job or it needs no claim any more.
     */
    private Claim claim(Job job, String messageId) {
        String attempt = UUID.randomUUID().toString();
        long now = clock.millis();
        Versioned current = store.create(job.jobId(), JobRecord.claimed(messageId, attempt, now))
                .or(() -> store.load(job.jobId()))
                .orElseThrow(() -> new RetryLater("job record vanished while claiming", Duration.ofSeconds(1)));
        JobRecord record = current.record();
        if (!messageId.equals(record.owner()) || record.state() != State.CLAIMED || attempt.equals(record.attempt())) {
            return new Claim(current, null);
        }
        long heldFor = now - record.claimedAt();
        if (heldFor < CLAIM_TIMEOUT.toMillis()) {
            throw new RetryLater("an earlier receive of this message is creating the prediction",
                    Duration.ofMillis(CLAIM_TIMEOUT.toMillis() - heldFor));
        }
        Versioned taken = store.replace(job.jobId(), current, JobRecord.claimed(messageId, attempt, now))
                .orElseThrow(() -> new RetryLater("lost the race to take over a stale claim", Duration.ofSeconds(1)));
        return new Claim(taken, record.claimedAt() > 0 ? record.claimedAt() : null);
    }

    private record Created(Versioned record, Prediction prediction) {
    }

    /** Returns null when the model refused the input and the user was told. */
    private Created create(Job job, Model model, Versioned claimed, Long abandonedAt) throws IOException {
        Map<String, Object> input = job.isPlanning()
                ? model.textInput(TextInstructions.systemPrompt(job), job.prompt())
                : model.input(job.prompt(), job.aspectRatio(), seed(job));
        if (job.hasImageInput()) {
            try {
                input.put(model.imageField(), photos.link(job));
            } catch (PhotoInputs.Unavailable e) {
                end(job, claimed, e.getMessage());
                return null;
            }
        }
        Prediction prediction = abandonedAt == null ? null : orphan(model, input, abandonedAt);
        try {
            if (prediction == null) {
                prediction = replicate.create(model.owner(), model.modelName(), input, null, CREATE_WAIT_SECONDS);
            }
        } catch (ReplicateException e) {
            if (isRefusal(e)) {
                end(job, claimed, refusal(job, Texts.forLanguage(job.language()).get("refused.reason.input", e.detail())));
                return null;
            }
            // An error answer means nothing was created: let the next attempt create without waiting out the claim.
            store.replace(job.jobId(), claimed, claimed.record().released());
            throw e;
        }
        Versioned predicting = store.replace(job.jobId(), claimed, claimed.record().predicting(prediction.id()))
                .orElseThrow(() -> new RetryLater("the claim was taken over while creating", Duration.ofSeconds(5)));
        return new Created(predicting, prediction);
    }

    /**
     * A prediction an attempt that died created without recording it: the same model and input, created
     * after that attempt's claim. Found among the account's recent predictions, so it is not paid twice.
     */
    private Prediction orphan(Model model, Map<String, Object> input, long claimedAt) throws IOException {
        // Parsed from JSON text, as the listed inputs are, so their numbers compare as the same node types.
        JsonNode wanted = withoutLink(model, Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(input)));
        Instant since = Instant.ofEpochMilli(claimedAt).minusSeconds(5);
        return replicate.recent().stream()
                .filter(p -> model.replicate().equals(p.model()) && wanted.equals(withoutLink(model, p.input())))
                .filter(p -> p.created() != null && p.created().isAfter(since))
                .findFirst().orElse(null);
    }

    /** A photo's link is signed anew by every attempt; the rest of the input (the seed above all) tells the job. */
    private static JsonNode withoutLink(Model model, JsonNode input) {
        if (model.imageField() == null || !(input instanceof ObjectNode object)) {
            return input;
        }
        ObjectNode copy = object.deepCopy();
        copy.remove(model.imageField());
        return copy;
    }

    private Prediction await(Job job, String id, Prediction known, LongSupplier remainingMillis) throws IOException {
        Prediction prediction = known != null ? known : replicate.get(id);
        long pause = POLL_FIRST_MILLIS;
        while (!prediction.isTerminal()) {
            Instant created = prediction.created();
            if (created != null && created.plus(PREDICTION_DEADLINE).isBefore(clock.instant())) {
                return replicate.cancel(id);
            }
            if (remainingMillis.getAsLong() < SAFETY_MILLIS + pause) {
                throw new RetryLater("prediction " + id + " still running", Duration.ofSeconds(5));
            }
            try {
                sleeper.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetryLater("interrupted while waiting for prediction " + id, Duration.ofSeconds(1));
            }
            pause = Math.min(POLL_MAX_MILLIS, pause * 3 / 2);
            prediction = replicate.get(id);
        }
        return prediction;
    }

    private Versioned storeOutput(Job job, Versioned current, Prediction prediction) throws IOException {
        if (prediction.outputUrls().isEmpty()) {
            throw new IOException("prediction " + prediction.id() + " succeeded without an output");
        }
        Download output = replicate.download(prediction.outputUrls().get(0));
        String key = "media/" + job.jobId() + Delivery.extension(output.contentType());
        media.put(key, output.bytes(), output.contentType());
        return store.replace(job.jobId(), current, current.record().stored(key, output.contentType()))
                .orElseThrow(() -> new RetryLater("job record changed while storing the output", Duration.ofSeconds(1)));
    }

    /**
     * The job ends without a result: its unit goes back to the user's day (first: it is done once however
     * often this is retried), the user is told why, its album goes without it, and the job is marked ended.
     */
    private void end(Job job, Versioned current, String explanation) throws IOException {
        refunds.giveBack(job);
        delivery.tell(job, explanation);
        if (job.albumSize() > 1) {
            albums.leaveOut(job, catalog.get(job.model()));
        }
        store.replace(job.jobId(), current, current.record().with(State.ENDED));
    }

    private String outcomeText(Job job, Prediction prediction) {
        Texts texts = Texts.forLanguage(job.language());
        if ("canceled".equals(prediction.status())) {
            boolean timedOut = prediction.created() != null
                    && prediction.created().plus(PREDICTION_DEADLINE).isBefore(clock.instant());
            return texts.get(textKey(job, catalog, timedOut ? "timed_out" : "canceled"), job.position(), job.total(),
                    shortPrompt(job));
        }
        String error = prediction.errorText();
        String reason = looksLikeSafetyFilter(error)
                ? texts.get("refused.reason.safety")
                : texts.get("refused.reason.input", error);
        return refusal(job, reason);
    }

    private String refusal(Job job, String reason) {
        return Texts.forLanguage(job.language()).get(textKey(job, catalog, "refused"), job.position(), job.total(),
                shortPrompt(job), reason);
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

    private static boolean isRefusal(ReplicateException e) {
        return e.status() == 400 || e.status() == 422;
    }

    private static boolean looksLikeSafetyFilter(String error) {
        String lower = error.toLowerCase(Locale.ROOT);
        return lower.contains("nsfw") || lower.contains("safety") || lower.contains("sensitive")
                || lower.contains("flagged") || lower.contains("filter");
    }

    static String shortPrompt(Job job) {
        return Texts.excerpt(job.prompt());
    }

    /** Stable across retries, different between the variants of one prompt. */
    static long seed(Job job) {
        return Integer.toUnsignedLong(job.jobId().hashCode()) % 1_000_000_000L;
    }
}
