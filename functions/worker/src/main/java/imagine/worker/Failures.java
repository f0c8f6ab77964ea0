package imagine.worker;

import imagine.worker.replicate.ReplicateException;
import imagine.worker.telegram.TelegramException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** The one place that decides whether an attempt that threw waits or failed, and when it goes on. */
final class Failures {
    static final long MAX_BACKOFF_SECONDS = 300;

    private final long firstBackoffSeconds;

    /** @param firstBackoffSeconds the delay after a first failure; it doubles with each further one */
    Failures(long firstBackoffSeconds) {
        this.firstBackoffSeconds = firstBackoffSeconds;
    }

    /**
     * @param receiveCount how many times SQS has delivered this message, 1 on the first delivery
     * @param waits        how many times the job has waited on the queue before
     */
    Verdict verdict(Throwable failure, int receiveCount, int waits) {
        if (failure instanceof RetryLater later) {
            return new Verdict.Wait(later.after(), later.getMessage());
        }
        if (failure instanceof TelegramException telegram && telegram.errorCode() == 429) {
            return new Verdict.Wait(seconds(telegram.retryAfter(), waits + 1), telegram.getMessage());
        }
        if (failure instanceof ReplicateException replicate && replicate.status() == 429) {
            return new Verdict.Wait(seconds(replicate.retryAfter(), waits + 1), replicate.getMessage());
        }
        return new Verdict.Retry(backoff(receiveCount),
                failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }

    private Duration seconds(Integer askedFor, int attempt) {
        return askedFor != null && askedFor > 0 ? Duration.ofSeconds(askedFor) : backoff(attempt);
    }

    /** Exponential with jitter, so jobs that failed together do not come back together. */
    Duration backoff(int attempt) {
        long seconds = Math.min(MAX_BACKOFF_SECONDS, firstBackoffSeconds << Math.min(10, Math.max(0, attempt - 1)));
        long jitterMillis = ThreadLocalRandom.current().nextLong(seconds * 200 + 1);
        return Duration.ofSeconds(seconds).plusMillis(jitterMillis);
    }
}
