package imagine.worker;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.worker.replicate.ReplicateException;
import imagine.worker.telegram.TelegramException;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
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
                .as("without a hint, a random time under the ceiling its waits so far give")
                .isInstanceOfSatisfying(Verdict.Wait.class, wait -> assertThat(wait.after())
                        .isBetween(Duration.ZERO, Duration.ofSeconds(10)));
    }

    /**
     * Thousands of jobs refused by Replicate's create rate together: were each to come back after the second it asks
     * for, they would all come back together, again and again, and use up their waits within minutes.
     */
    @Test
    void aJobRefusedByTheRateAgainAndAgainWaitsARandomTimeUnderAGrowingCeilingNeverSoonerThanAsked() {
        ReplicateException throttled = new ReplicateException("create", 429, "throttled", 1);

        assertThat(((Verdict.Wait) failures.verdict(throttled, 1, 0)).after()).as("the first time, as asked")
                .isEqualTo(Duration.ofSeconds(1));
        Set<Duration> afterThreeWaits = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            afterThreeWaits.add(((Verdict.Wait) failures.verdict(throttled, 1, 3)).after());
        }
        assertThat(afterThreeWaits).as("after three waits: spread between the asked second and 20 s")
                .allSatisfy(after -> assertThat(after).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(20)))
                .hasSizeGreaterThan(10);
        assertThat(failures.verdict(new ReplicateException("create", 429, "throttled", 90), 1, 50)).as("never sooner")
                .isEqualTo(new Verdict.Wait(Duration.ofSeconds(90), "create: 429 throttled"));
        Duration waited = Duration.ZERO;
        for (int waits = 0; waits < WorkerTimings.DEFAULTS.maxWaits(); waits++) {
            Duration after = ((Verdict.Wait) failures.verdict(throttled, 1, waits)).after();
            assertThat(after).isLessThanOrEqualTo(Duration.ofSeconds(Failures.MAX_RATE_LIMITED_WAIT_SECONDS));
            waited = waited.plus(after);
        }
        assertThat(waited).as("all its waits: longer than Replicate's 600 a minute take to work through 10,000 creates")
                .isGreaterThan(Duration.ofMinutes(30));
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
