package imagine.worker;

import imagine.worker.replicate.ReplicateException;
import imagine.worker.telegram.TelegramException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** The one place that decides whether an attempt that threw waits or failed, and when it goes on. */
final class Failures {
    static final long MAX_BACKOFF_SECONDS = 300;
    /** The longest a job refused by Replicate's rate waits, unless Replicate asks for longer. */
    static final long MAX_RATE_LIMITED_WAIT_SECONDS = 60;

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
            // Telegram says when this chat's or this bot's flood ends; the pacing keeps the bot's workers under it.
            Integer askedFor = telegram.retryAfter();
            Duration after = askedFor != null && askedFor > 0 ? Duration.ofSeconds(askedFor) : backoff(waits + 1);
            return new Verdict.Wait(after, telegram.getMessage());
        }
        if (failure instanceof ReplicateException replicate && replicate.status() == 429) {
            return new Verdict.Wait(createRateLimited(replicate.retryAfter(), waits), replicate.getMessage());
        }
        return new Verdict.Retry(backoff(receiveCount),
                failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }

    /**
     * As long as Replicate asks, the first time. A job refused again is one of a crowd that Replicate's create rate
     * lets through a few at a time: coming back when asked, the crowd would come back together each time and use up
     * its waits in minutes. So from the second time on it waits a random time up to a ceiling that doubles with its
     * waits ("full jitter"), never sooner than asked: the crowd spreads over the time the rate needs while the rate
     * stays busy, and the ceiling stays short (a minute) so a refused job is not left idle long after there is room.
     */
    private Duration createRateLimited(Integer askedFor, int waits) {
        Duration asked = askedFor != null && askedFor > 0 ? Duration.ofSeconds(askedFor) : Duration.ZERO;
        if (waits == 0 && !asked.isZero()) {
            return asked;
        }
        long ceiling = Math.min(MAX_RATE_LIMITED_WAIT_SECONDS,
                firstBackoffSeconds << Math.min(10, Math.max(0, waits - 1)));
        Duration spread = Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling * 1000 + 1));
        return spread.compareTo(asked) > 0 ? spread : asked;
    }

    /** Exponential with jitter, so jobs that failed together do not come back together. */
    Duration backoff(int attempt) {
        long seconds = Math.min(MAX_BACKOFF_SECONDS, firstBackoffSeconds << Math.min(10, Math.max(0, attempt - 1)));
        long jitterMillis = ThreadLocalRandom.current().nextLong(seconds * 200 + 1);
        return Duration.ofSeconds(seconds).plusMillis(jitterMillis);
    }
}
