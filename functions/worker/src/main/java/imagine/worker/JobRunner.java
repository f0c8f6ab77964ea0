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
import imagine.core.Task;
import imagine.core.Texts;
import imagine.core.telegram.InlineKeyboardMarkup;
import imagine.worker.JobRecord.State;
import imagine.worker.JobStore.Versioned;
import imagine.worker.replicate.Prediction;
import imagine.worker.replicate.ReplicateClient;
import imagine.worker.replicate.ReplicateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;
import okhttp3.HttpUrl;

/**
 * Takes one job from wherever an earlier attempt left it to its end: claim, one prediction, output
 * copied to S3, reply. A planning job runs its text prediction the same way and hands the answer to the
 * {@link PlanningResults}. Every step is recorded in the job's record first, so a redelivered or
 * concurrent copy of the message resumes the same prediction instead of paying for another.
 *
 * <p>In callback mode the prediction is created with a webhook and the message is put back for a
 * check-up instead of waiting: Replicate's callback finishes the job, and if it never comes, the
 * check-up resumes polling the recorded prediction (never a second one).
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
    /** How often a waiting worker renews the chat's "sending photo…" and looks for a /cancel. */
    private static final long LOOK_EVERY_MILLIS = 4_500;

    /**
     * @param url        where Replicate posts a finished prediction ({@code PUBLIC_URL + "/replicate"})
     * @param checkAfter when the job's message comes back to look after a callback that did not come
     */
    record CallbackMode(String url, Duration checkAfter) {
    }

    private final JobStore store;
    private final ReplicateClient replicate;
    private final Completion completion;
    private final Delivery delivery;
    private final PhotoInputs photos;
    private final Catalog catalog;
    private final Clock clock;
    private final Sleeper sleeper;
    private final CallbackMode callbacks;

    /** @param callbacks null to wait for every prediction by polling */
    JobRunner(JobStore store, ReplicateClient replicate, Completion completion, PhotoInputs photos, Delivery delivery,
              Catalog catalog, Clock clock, Sleeper sleeper, CallbackMode callbacks) {
        this.store = store;
        this.replicate = replicate;
        this.completion = completion;
        this.delivery = delivery;
        this.photos = photos;
        this.catalog = catalog;
        this.clock = clock;
        this.sleeper = sleeper;
        this.callbacks = callbacks;
    }

    /** How a message's run ended when it did not throw. */
    enum Outcome {
        /** The job is finished, by this run or an earlier one. */
        FINISHED,
        /** Another message carries this job; this one is dropped. */
        DUPLICATE,
        /** The prediction runs and its callback will finish the job; the message comes back after checkAfter(). */
        AWAITING_CALLBACK
    }

    /** When a message whose job awaits its callback comes back to check on it. */
    Duration checkAfter() {
        return callbacks == null ? Duration.ZERO : callbacks.checkAfter();
    }

    /**
     * Runs the job as far as it can. Returns when the job needs nothing more from this message for now;
     * throws when it must be tried again ({@link Failures} decides when).
     *
     * @param messageId the SQS message carrying the job: the same on every receive of that message
     */
    Outcome run(Job job, String messageId, LongSupplier remainingMillis) throws IOException {
        if (job.task() == Task.FULL_SIZE) {
            Versioned task = claim(job, messageId, UUID.randomUUID().toString()).record();
            if (!messageId.equals(task.record().owner())) {
                return Outcome.DUPLICATE;
            }
            if (!task.record().isFinished()) {
                completion.sendOriginal(job, task);
            }
            return Outcome.FINISHED;
        }
        Model model = job.isPlanning() ? catalog.textModel() : catalog.get(job.model());
        String attempt = UUID.randomUUID().toString();
        Claim claim = claim(job, messageId, attempt);
        Versioned current = claim.record();
        if (!messageId.equals(current.record().owner())) {
            return Outcome.DUPLICATE;
        }
        if (current.record().isFinished()) {
            return Outcome.FINISHED;
        }
        Prediction prediction = null;
        if (current.record().state() == State.CLAIMED) {
            if (completion.canceled(job)) {
                completion.drop(job, current);
                return Outcome.FINISHED;
            }
            delivery.showWorking(job, model);
            Created created = create(job, model, current, claim.abandonedAt());
            if (created == null) {
                return Outcome.FINISHED;
            }
            if (awaitsCallback(job)) {
                return Outcome.AWAITING_CALLBACK;
            }
            current = created.record();
            prediction = created.prediction();
        } else {
            current = hold(job, current, attempt);
        }
        // A planning job past its prediction (FANNED_OUT) reads the finished answer again to finish telling the user.
        if (current.record().state() == State.PREDICTING || job.isPlanning()) {
            prediction = await(job, model, current.record().predictionId(), prediction, remainingMillis);
            completion.complete(job, current, prediction, attempt);
        } else {
            completion.deliver(job, current);
        }
        return Outcome.FINISHED;
    }

    /**
     * Takes the record over for this attempt, to finish a job an earlier receive left; waits while a
     * callback is finishing it.
     */
    private Versioned hold(Job job, Versioned current, String attempt) {
        JobRecord record = current.record();
        if (completion.heldByCallback(record)) {
            throw new RetryLater("a callback is finishing the job",
                    Duration.ofMillis(completion.holdLeft(record) + 1000));
        }
        return store.replace(job.jobId(), current, record.held(attempt, clock.millis()))
                .orElseThrow(() -> new RetryLater("job record changed while taking it over", Duration.ofSeconds(1)));
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
    private Claim claim(Job job, String messageId, String attempt) {
        long now = clock.millis();
        Versioned current = store.create(job.jobId(), JobRecord.claimed(messageId, attempt, now, job))
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
        Versioned taken = store.replace(job.jobId(), current, JobRecord.claimed(messageId, attempt, now, job))
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
                completion.end(job, claimed, e.getMessage());
                return null;
            }
        }
        Prediction prediction = abandonedAt == null ? null : orphan(model, input, abandonedAt);
        try {
            if (prediction == null) {
                prediction = awaitsCallback(job)
                        ? replicate.create(model.owner(), model.modelName(), input, callbackUrl(job), 0)
                        : replicate.create(model.owner(), model.modelName(), input, null, CREATE_WAIT_SECONDS);
            }
        } catch (ReplicateException e) {
            if (isRefusal(e)) {
                completion.end(job, claimed, completion.refusal(job,
                        Texts.forLanguage(job.language()).get("refused.reason.input", e.detail())));
                return null;
            }
            // An error answer means nothing was created: let the next attempt create without waiting out the claim.
            store.replace(job.jobId(), claimed, claimed.record().released());
            throw e;
        }
        JobRecord predicting = claimed.record().predicting(prediction.id());
        // Awaiting its callback, the job is held by nobody: the callback may finish it at once.
        Versioned recorded = store.replace(job.jobId(), claimed, awaitsCallback(job) ? predicting.released() : predicting)
                .orElseThrow(() -> new RetryLater("the claim was taken over while creating", Duration.ofSeconds(5)));
        return new Created(recorded, prediction);
    }

    /**
     * Images and videos finish through Replicate's callback when there is a public URL; a planning job's text
     * model answers in seconds and its worker goes on to enqueue the images, so it always waits.
     */
    private boolean awaitsCallback(Job job) {
        return callbacks != null && !job.isPlanning();
    }

    /** The callback names the job, so it can be found before or without an index by prediction id. */
    private String callbackUrl(Job job) {
        return HttpUrl.get(callbacks.url()).newBuilder().addQueryParameter("job", job.jobId()).build().toString();
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

    private Prediction await(Job job, Model model, String id, Prediction known, LongSupplier remainingMillis)
            throws IOException {
        Prediction prediction = known != null ? known : replicate.get(id);
        long pause = POLL_FIRST_MILLIS;
        // A resumed job looks at once: the chat's status ran out, and a /cancel may have come meanwhile.
        long nextLook = known != null ? clock.millis() + LOOK_EVERY_MILLIS : clock.millis();
        while (!prediction.isTerminal()) {
            Instant created = prediction.created();
            if (created != null && created.plus(PREDICTION_DEADLINE).isBefore(clock.instant())) {
                return replicate.cancel(id);
            }
            if (clock.millis() >= nextLook) {
                // Telegram shows "sending photo…" for five seconds; a /cancel since the last look stops the prediction.
                if (completion.canceled(job)) {
                    return replicate.cancel(id);
                }
                delivery.showWorking(job, model);
                nextLook = clock.millis() + LOOK_EVERY_MILLIS;
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

    private static boolean isRefusal(ReplicateException e) {
        return e.status() == 400 || e.status() == 422;
    }

    static String shortPrompt(Job job) {
        return Texts.excerpt(job.prompt());
    }

    /** Stable across retries, different between the variants of one prompt. */
    static long seed(Job job) {
        return Integer.toUnsignedLong(job.jobId().hashCode()) % 1_000_000_000L;
    }
}
