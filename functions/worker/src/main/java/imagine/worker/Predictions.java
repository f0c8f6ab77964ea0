package imagine.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import imagine.core.Cancellations;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.Model;
import imagine.worker.replicate.Prediction;
import imagine.worker.replicate.ReplicateClient.CreateOptions;
import imagine.worker.replicate.ReplicateClient;
import imagine.worker.replicate.ReplicateException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import okhttp3.HttpUrl;

/**
 * A job's one prediction on Replicate: made from the job's input, created once, and waited for.
 *
 * <p>Exactly one prediction per job: the record names the prediction before anyone waits for it. A create call whose
 * answer was lost (a timeout, a 5xx from an edge in front of Replicate) may still have made one, so the record also
 * says when creating began, and the next attempt first looks for a prediction made since then from the job's input
 * in the account's list. Only what the list really returns and what is the job's alone is matched: the input, whose
 * seed is derived from the job id and whose picture link names the job's own copy. An input that does not name the
 * job (a model without seed or picture) is adopted only when exactly one prediction matches it.
 */
final class Predictions {
    /** Kept short: until the create call returns, the prediction's id is known only to Replicate. */
    private static final int CREATE_WAIT_SECONDS = 1;
    private static final long POLL_FIRST_MILLIS = 500;
    private static final long POLL_MAX_MILLIS = 1000;
    /** Time kept back from the invocation's budget to record state and answer the event source. */
    private static final long SAFETY_MILLIS = 10_000;
    /** How often a waiting worker renews the chat's "sending photo…" and its lease. */
    private static final long LOOK_EVERY_MILLIS = 4_500;
    /** Replicate's clock and ours may differ a little. */
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

    /** @param url where Replicate posts a finished prediction ({@code PUBLIC_URL + "/replicate"}); null to poll */
    record CallbackMode(String url) {
    }

    private final ReplicateClient replicate;
    private final ModelInputs inputs;
    private final Cancellations cancellations;
    private final Delivery delivery;
    private final Endings endings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final WorkerTimings timings;
    private final CallbackMode callbacks;

    Predictions(ReplicateClient replicate, ModelInputs inputs, Cancellations cancellations, Delivery delivery,
                Endings endings, Clock clock, Sleeper sleeper, WorkerTimings timings, CallbackMode callbacks) {
        this.replicate = replicate;
        this.inputs = inputs;
        this.cancellations = cancellations;
        this.delivery = delivery;
        this.endings = endings;
        this.clock = clock;
        this.sleeper = sleeper;
        this.timings = timings;
        this.callbacks = callbacks;
    }

    /** How starting a job's prediction came out: recorded, or the job ends (the input was refused or unavailable). */
    sealed interface Start permits Started, Refused {
    }

    record Started(Prediction prediction) implements Start {
    }

    record Refused(Ending ending) implements Start {
    }

    /**
     * Images and videos finish through Replicate's callback when there is a public URL; a planning job's text model
     * answers in seconds and its worker goes on to enqueue the images, so it always waits.
     */
    boolean awaitsCallback(Job job) {
        return callbacks != null && !job.isPlanning();
    }

    /** Finds the job's orphan or creates its prediction, and records it under the lease. */
    Start start(Job job, Model model, Jobs.Lease lease) throws IOException {
        Map<String, Object> input;
        try {
            input = inputs.forJob(job, model);
        } catch (ModelInputs.Unavailable e) {
            return new Refused(endings.inputUnavailable(e.getMessage()));
        }
        Long createStarted = lease.record().createStarted();
        Optional<Prediction> orphan = createStarted == null ? Optional.empty()
                : orphan(job, model, input, Instant.ofEpochMilli(createStarted));
        Prediction prediction;
        if (orphan.isPresent()) {
            prediction = orphan.get();
        } else {
            lease.creating();
            try {
                prediction = replicate.create(model.owner(), model.modelName(), input, new CreateOptions(
                        awaitsCallback(job) ? callbackUrl(job) : null, awaitsCallback(job) ? 0 : CREATE_WAIT_SECONDS,
                        timings.predictionDeadline()));
            } catch (ReplicateException e) {
                if (e.refusedInput()) {
                    return new Refused(endings.refusedInput(job, e.detail()));
                }
                // A 429 made nothing; a 5xx may have (an edge answered): either way the next attempt looks first.
                lease.release();
                throw e;
            }
        }
        lease.predicting(prediction.id());
        // A /cancel whose task looked for running predictions before this one was recorded has not stopped it.
        if (!prediction.isTerminal() && cancellations.isCanceled(job)) {
            prediction = replicate.cancel(prediction.id());
        }
        return new Started(prediction);
    }

    /**
     * The job's prediction made since {@code since} by an attempt whose create call's answer was lost, if one can be
     * told apart from every other job's. Of several of the job's own, the one that went furthest is adopted and the
     * others are stopped.
     */
    Optional<Prediction> orphan(Job job, Model model, Map<String, Object> input, Instant since) throws IOException {
        JsonNode wanted = comparable(model, Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(input)));
        List<Prediction> matches = replicate.createdSince(since.minus(CLOCK_SKEW)).stream()
                .filter(p -> p.input() != null && wanted.equals(comparable(model, p.input())))
                .sorted(Comparator.comparing(Predictions::progress).reversed())
                .toList();
        if (matches.isEmpty() || matches.size() > 1 && !ModelInputs.identifiesJob(job, model)) {
            return Optional.empty();
        }
        for (Prediction extra : matches.subList(1, matches.size())) {
            if (!extra.isTerminal()) {
                replicate.cancel(extra.id());
            }
        }
        return Optional.of(matches.get(0));
    }

    /** Stops a prediction an attempt that died may have made for the job since {@code since}, if one is found. */
    void stopOrphan(Job job, Model model, long since) throws IOException {
        try {
            orphan(job, model, inputs.forJob(job, model), Instant.ofEpochMilli(since))
                    .filter(found -> !found.isTerminal())
                    .ifPresent(found -> stop(found.id()));
        } catch (ModelInputs.Unavailable noInput) {
            // Without its input no prediction could have been made.
        }
    }

    /** Succeeded first, then still running, then ended otherwise. */
    private static int progress(Prediction prediction) {
        return prediction.succeeded() ? 2 : prediction.isTerminal() ? 0 : 1;
    }

    /**
     * The input as it identifies the job: a picture's link is signed anew by every attempt, so only its address
     * (bucket and key, which name the job) counts, not its signature.
     */
    private static JsonNode comparable(Model model, JsonNode input) {
        if (model.imageField() == null || !(input instanceof ObjectNode object) || !object.has(model.imageField())) {
            return input;
        }
        ObjectNode copy = object.deepCopy();
        HttpUrl link = HttpUrl.parse(copy.get(model.imageField()).asText());
        copy.put(model.imageField(), link == null ? "" : link.newBuilder().query(null).build().toString());
        return copy;
    }

    /**
     * Waits for the prediction by polling, renewing the chat's status and the lease as it goes, until it ends or the
     * invocation's time runs short (then the job waits on the queue and a later run resumes it).
     */
    Prediction await(Job job, Model model, Jobs.Lease lease, Prediction known, LongSupplier remainingMillis)
            throws IOException {
        String id = lease.record().predictionId();
        Prediction prediction = known != null ? known : replicate.get(id);
        long pause = POLL_FIRST_MILLIS;
        // A resumed job shows its status at once: the chat's last "sending photo…" ran out long ago.
        long nextLook = known != null ? clock.millis() + LOOK_EVERY_MILLIS : clock.millis();
        while (!prediction.isTerminal()) {
            if (pastDeadline(prediction)) {
                return replicate.cancel(id);
            }
            if (clock.millis() >= nextLook) {
                delivery.showWorking(job, model);
                lease.keep();
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

    /** The prediction as it stands now, stopped first if it ran past its deadline (its callback may never come). */
    Prediction look(String id) throws IOException {
        Prediction prediction = replicate.get(id);
        return !prediction.isTerminal() && pastDeadline(prediction) ? replicate.cancel(id) : prediction;
    }

    /** Stops a prediction, whatever it is doing; one that ended already stays as it is. */
    void stop(String id) {
        try {
            replicate.cancel(id);
        } catch (IOException | RuntimeException e) {
            // It may have finished meanwhile.
        }
    }

    private boolean pastDeadline(Prediction prediction) {
        Instant created = prediction.created();
        return created != null && created.plus(timings.predictionDeadline()).isBefore(clock.instant());
    }

    /** The callback names the job, so it finds the job's record without an index by prediction id. */
    private String callbackUrl(Job job) {
        return HttpUrl.get(callbacks.url()).newBuilder().addQueryParameter("job", job.jobId()).build().toString();
    }
}
