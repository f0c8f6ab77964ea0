package imagine.worker;

import imagine.worker.replicate.ReplicateClient;
import java.time.Duration;
import java.util.Map;

/**
 * The worker's clock settings. Deployed they keep their defaults; tests run them scaled down through the same
 * variables.
 *
 * @param lease              how long a run of a job may act alone before another may take the job over; every step
 *                           it records renews it
 * @param callbackCheck      when a job awaiting its prediction's callback looks at the prediction itself
 *                           ({@code CALLBACK_CHECK_SECONDS})
 * @param predictionDeadline how long a prediction may run before it is stopped ({@code PREDICTION_DEADLINE_SECONDS});
 *                           Replicate is told too ({@code Cancel-After}), so it holds when no worker looks
 * @param maxWaits           how often a job may be put back on the queue to wait before the waiting counts as a failure
 */
record WorkerTimings(Duration lease, Duration callbackCheck, Duration predictionDeadline, int maxWaits) {
    static final WorkerTimings DEFAULTS = new WorkerTimings(Duration.ofSeconds(30), Duration.ofSeconds(120),
            Duration.ofMinutes(10), 100);

    static WorkerTimings from(Map<String, String> env) {
        return new WorkerTimings(
                seconds(env, "JOB_LEASE_SECONDS", DEFAULTS.lease()),
                seconds(env, "CALLBACK_CHECK_SECONDS", DEFAULTS.callbackCheck()),
                seconds(env, "PREDICTION_DEADLINE_SECONDS", DEFAULTS.predictionDeadline()),
                DEFAULTS.maxWaits());
    }

    /** The lease a create call runs under: the call is cut off well before it ends. */
    Duration createLease() {
        return ReplicateClient.CREATE_TIMEOUT.plus(lease);
    }

    private static Duration seconds(Map<String, String> env, String name, Duration fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : Duration.ofSeconds(Long.parseLong(value.trim()));
    }
}
