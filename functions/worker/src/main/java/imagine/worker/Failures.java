package imagine.worker;

import imagine.worker.replicate.ReplicateException;
import imagine.worker.telegram.TelegramException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** The one place that decides whether a failed attempt is retried, and when. */
final class Failures {
    static final long MAX_BACKOFF_SECONDS = 300;

    private final long firstBackoffSeconds;

    /** @param firstBackoffSeconds the delay after a first failed delivery; it doubles with each further one */
    Failures(long firstBackoffSeconds) {
        this.firstBackoffSeconds = firstBackoffSeconds;
    }

    /**
     * @param receiveCount how many times SQS has delivered this message, 1 on the first delivery
     */
    Verdict verdict(Throwable failure, int receiveCount) {
        if (failure instanceof RetryLater later) {
            return new Verdict.Retry(later.after(), later.getMessage());
        }
        if (failure instanceof TelegramException telegram) {
            if (telegram.errorCode() == 429) {
                return new Verdict.Retry(seconds(telegram.retryAfter(), receiveCount), telegram.getMessage());
            }
            if (telegram.errorCode() == 400 || telegram.errorCode() == 403) {
                return new Verdict.GiveUp(telegram.getMessage());
            }
        }
        if (failure instanceof ReplicateException replicate && replicate.status() == 429) {
            return new Verdict.Retry(seconds(replicate.retryAfter(), receiveCount), replicate.getMessage());
        }
        return new Verdict.Retry(backoff(receiveCount), failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }

    private Duration seconds(Integer askedFor, int receiveCount) {
        return askedFor != null && askedFor > 0 ? Duration.ofSeconds(askedFor) : backoff(receiveCount);
    }

    /** Exponential with jitter, so jobs that failed together do not come back together. */
    Duration backoff(int receiveCount) {
        long seconds = Math.min(MAX_BACKOFF_SECONDS, firstBackoffSeconds << Math.min(10, Math.max(0, receiveCount - 1)));
        long jitterMillis = ThreadLocalRandom.current().nextLong(seconds * 200 + 1);
        return Duration.ofSeconds(seconds).plusMillis(jitterMillis);
    }
}
