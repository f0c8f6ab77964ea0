package imagine.local.replicate;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Moves predictions from starting to a terminal state after the configured latency, and sends their webhooks. */
final class PredictionRunner {
    static final String NSFW_ERROR = "NSFW content detected. Try running it again, or try a different prompt.";
    private static final Logger LOG = LoggerFactory.getLogger(PredictionRunner.class);

    private final PredictionStore store;
    private final Renderer renderer;
    private final WebhookDispatcher webhooks;
    private final URI baseUrl;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private final Duration latency;
    private final double jitter;

    PredictionRunner(PredictionStore store, Renderer renderer, WebhookDispatcher webhooks, URI baseUrl,
                     ExecutorService workers, ScheduledExecutorService scheduler, Duration latency, double jitter) {
        this.store = store;
        this.renderer = renderer;
        this.webhooks = webhooks;
        this.baseUrl = baseUrl;
        this.workers = workers;
        this.scheduler = scheduler;
        this.latency = latency;
        this.jitter = jitter;
    }

    /** @param fault REFUSE (a language model answers with a refusal, other models fail), HANG or null */
    void run(Prediction created, ModelSchema schema, Fault fault) {
        Instant due = created.createdAt().plus(jittered());
        workers.execute(() -> process(created, schema, fault, due));
    }

    Optional<Prediction> cancel(String id) {
        Optional<Prediction> canceled = store.update(id, p -> p.finished(Prediction.Status.CANCELED, null, null,
            Instant.now()));
        canceled.ifPresent(p -> notify(p, "completed"));
        return canceled.or(() -> store.get(id));
    }

    /** Waits until the first attempt of the prediction's completed webhook was answered, up to {@code timeout}. */
    void awaitFirstCallback(String id, Duration timeout) throws InterruptedException {
        try {
            webhooks.firstAnswer(id).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.info("prediction {}: no answer to its webhook within {}", id, timeout);
        }
    }

    private void process(Prediction created, ModelSchema schema, Fault fault, Instant due) {
        long seed = PictureSpec.seedOf(created.input(), String.valueOf(created.input().get("prompt")));
        Optional<Prediction> started = store.update(created.id(), p -> p.processing(Instant.now(),
            "Using seed: " + seed + "\n"));
        if (started.isEmpty()) {
            return;
        }
        notify(started.get(), "start");
        if (fault == Fault.HANG) {
            return;
        }
        Prediction.Status status = Prediction.Status.SUCCEEDED;
        Object output = null;
        String error = null;
        if (fault == Fault.REFUSE && !schema.kind().equals(ModelSchema.TEXT)) {
            status = Prediction.Status.FAILED;
            error = NSFW_ERROR;
        } else {
            try {
                output = renderer.render(started.get(), schema, fault == Fault.REFUSE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warn("prediction {} failed", created.id(), e);
                status = Prediction.Status.FAILED;
                error = e.getMessage() == null ? e.toString() : e.getMessage();
            }
        }
        Prediction.Status terminal = status;
        Object result = output;
        String message = error;
        long delay = Math.max(0, Duration.between(Instant.now(), due).toMillis());
        try {
            scheduler.schedule(() -> finish(created.id(), terminal, result, message), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            LOG.debug("prediction {} dropped: server closed", created.id());
        }
    }

    private void finish(String id, Prediction.Status status, Object output, String error) {
        store.update(id, p -> p.finished(status, output, error, Instant.now())).ifPresent(p -> {
            LOG.info("prediction {} of {} {}", p.id(), p.model(), p.status().json());
            notify(p, "completed");
        });
    }

    private void notify(Prediction p, String event) {
        if (p.webhook() != null && p.webhookEventsFilter().contains(event)) {
            webhooks.send(p.webhook(), p.id(), event, Json.bytes(PredictionJson.of(p, baseUrl)));
        }
    }

    private Duration jittered() {
        double factor = 1 + jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return Duration.ofNanos((long) (latency.toNanos() * Math.max(0, factor)));
    }
}
