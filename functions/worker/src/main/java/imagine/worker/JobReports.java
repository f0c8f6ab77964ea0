package imagine.worker;

import imagine.core.Job;
import imagine.core.Model;
import imagine.core.telemetry.Log;
import imagine.core.telemetry.Metrics;
import imagine.core.usage.Tally;
import imagine.worker.replicate.Prediction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * What the operator sees of a job: a log line at each stage it reaches (with its job, user, model, prediction, stage and
 * durations as fields), CloudWatch metrics per model (predictions created, succeeded, refused, failed; prediction
 * latency; delivery time; estimated cost) and today's counts for /stats. Each is reported right after the stage is
 * recorded, so a redelivered job does not report it again.
 */
final class JobReports {
    private final Tally counts;
    private final Clock clock;

    JobReports(Tally counts, Clock clock) {
        this.counts = counts;
        this.clock = clock;
    }

    /** The job's prediction is recorded (made by this run, or by one whose answer was lost). */
    void created(Job job, Model model, Prediction prediction) {
        log(job, model).info("prediction created", "prediction_id", prediction.id(), "stage", "create");
        Metrics.event().dimension("Model", model.key()).count("PredictionsCreated").emit();
    }

    /** The prediction succeeded; its output is kept (an image or video) or its text about to be used. */
    void succeeded(Job job, Model model, Prediction prediction) {
        Long latency = latency(prediction);
        log(job, model).info("prediction succeeded", "prediction_id", prediction.id(), "stage", "store",
                "latency_ms", latency, "cost_usd", model.priceUsd());
        Metrics.Event event = Metrics.event().dimension("Model", model.key()).count("PredictionsSucceeded")
                .value("EstimatedCostUsd", model.priceUsd());
        if (latency != null) {
            event.milliseconds("PredictionLatency", latency);
        }
        event.emit();
    }

    /** The prediction ended without success; {@code ending} says why and whether it was charged. */
    void unsuccessful(Job job, Model model, Prediction prediction, Ending ending) {
        Long latency = latency(prediction);
        log(job, model).info("prediction ended without a result", "prediction_id", prediction.id(), "stage", "await",
                "status", prediction.status().wireName(), "reason", reason(ending), "charged", ending.charged(),
                "latency_ms", latency);
        Metrics.Event event = Metrics.event().dimension("Model", model.key());
        if (ending.reason() == Ending.Reason.FAILED || ending.reason() == Ending.Reason.TIMED_OUT) {
            event.count("PredictionsFailed");
        }
        if (ending.charged()) {
            event.value("EstimatedCostUsd", model.priceUsd());
        }
        if (latency != null) {
            event.milliseconds("PredictionLatency", latency);
        }
        event.emit();
    }

    /**
     * Telegram accepted the result (or its album took it); the delivery time runs from the prediction's end, known
     * when this run saw it.
     */
    void delivered(Job job, Model model, Prediction prediction) {
        Instant completed = prediction == null ? null : prediction.completed();
        Long millis = completed == null ? null : Duration.between(completed, clock.instant()).toMillis();
        log(job, model).info("delivered", "prediction_id", prediction == null ? null : prediction.id(),
                "stage", "deliver", "delivery_ms", millis);
        if (millis != null) {
            Metrics.event().dimension("Model", model.key()).milliseconds("DeliveryTime", millis).emit();
        }
        counts.add(job.jobId(), "results." + model.key());
    }

    /** The job ended without a result. */
    void ended(Job job, String model, Ending ending) {
        log(job, model).info("ended without a result", "stage", "record", "reason", reason(ending),
                "charged", ending.charged());
        switch (ending.reason()) {
            case CANCELED, CHAT_UNREACHABLE -> {
                // Asked for by the user, or nobody left to tell: neither is a failure of the bot.
            }
            case REFUSED -> {
                Metrics.event().dimension("Model", model).count("PredictionsRefused").emit();
                counts.add(job.jobId(), "refused." + model);
            }
            default -> counts.add(job.jobId(), "failed." + model);
        }
    }

    /** A job's message reached the dead-letter queue and was dealt with there. */
    void deadLettered(Job job) {
        Metrics.event().count("DeadLetters").emit();
        counts.add(job.jobId(), "dead_letters");
    }

    private static Log log(Job job, Model model) {
        return log(job, model.key());
    }

    private static Log log(Job job, String model) {
        return Log.of("job_id", job.jobId(), "update_id", job.updateId(), "user_id", job.userId(), "model", model,
                "task", job.task().wireName());
    }

    private static String reason(Ending ending) {
        return ending.reason().name().toLowerCase(Locale.ROOT);
    }

    private static Long latency(Prediction prediction) {
        Instant created = prediction.created();
        Instant completed = prediction.completed();
        return created == null || completed == null ? null : Duration.between(created, completed).toMillis();
    }
}
