package imagine.worker;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.worker.replicate.ReplicateException;
import imagine.worker.telegram.TelegramException;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailuresTest {
    private final Failures failures = new Failures(5);

    @Test
    void aRateLimitIsAWaitForAsLongAsTheServiceSaysNotAFailure() {
        assertThat(failures.verdict(new TelegramException("sendPhoto", 429, "Too Many Requests", 12, null), 1, 0))
                .isEqualTo(new Verdict.Wait(Duration.ofSeconds(12), "sendPhoto: 429 Too Many Requests"));
        assertThat(failures.verdict(new ReplicateException("create", 429, "throttled", 3), 1, 0))
                .isEqualTo(new Verdict.Wait(Duration.ofSeconds(3), "create: 429 throttled"));
        assertThat(failures.verdict(new ReplicateException("create", 429, "throttled", null), 1, 2))
                .as("without a hint, backing off by the waits so far")
                .isInstanceOfSatisfying(Verdict.Wait.class, wait -> assertThat(wait.after())
                        .isBetween(Duration.ofSeconds(20), Duration.ofSeconds(24)));
    }

    /**
     * Thousands of jobs refused by Replicate's create rate together: were each to come back after the second it asks
     * for, they would all come back together, again and again, and use up their waits within minutes.
     */
    @Test
    void aJobRefusedByTheRateAgainAndAgainWaitsLongerEachTimeAndApartFromTheOthers() {
        ReplicateException throttled = new ReplicateException("create", 429, "throttled", 1);

        assertThat(((Verdict.Wait) failures.verdict(throttled, 1, 0)).after()).as("the first time, as asked")
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(((Verdict.Wait) failures.verdict(throttled, 1, 3)).after()).as("after three waits")
                .isBetween(Duration.ofSeconds(20), Duration.ofSeconds(24));
        assertThat(failures.verdict(new ReplicateException("create", 429, "throttled", 60), 1, 1)).as("never sooner")
                .isEqualTo(new Verdict.Wait(Duration.ofSeconds(60), "create: 429 throttled"));
        Duration waitedAtLeast = Duration.ZERO;
        for (int waits = 0; waits < WorkerTimings.DEFAULTS.maxWaits(); waits++) {
            waitedAtLeast = waitedAtLeast.plus(((Verdict.Wait) failures.verdict(throttled, 1, waits)).after());
        }
        assertThat(waitedAtLeast).as("all its waits: longer than Replicate takes to work through 10,000 creates")
                .isGreaterThan(Duration.ofHours(2));
    }

    @Test
    void aJobThatCannotGoOnYetWaits() {
        assertThat(failures.verdict(new RetryLater("the chat is busy", Duration.ofSeconds(30)), 1, 0))
                .isEqualTo(new Verdict.Wait(Duration.ofSeconds(30), "the chat is busy"));
    }

    @Test
    void errorsAndBrokenConnectionsAreFailuresThatBackOff() {
        assertThat(failures.verdict(new ReplicateException("create", 503, "unavailable", null), 1, 0))
                .isInstanceOf(Verdict.Retry.class);
        assertThat(failures.verdict(new IOException("timeout"), 2, 0)).isInstanceOf(Verdict.Retry.class);
        assertThat(failures.verdict(new TelegramException("sendPhoto", 502, "Bad Gateway", null, null), 2, 0))
                .isInstanceOf(Verdict.Retry.class);
    }

    @Test
    void backoffGrowsWithEachDeliveryAndIsCapped() {
        assertThat(failures.backoff(1)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(6));
        assertThat(failures.backoff(3)).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(24));
        assertThat(failures.backoff(40)).isBetween(Duration.ofSeconds(300), Duration.ofSeconds(360));
    }
}
