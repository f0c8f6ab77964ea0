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
    void telegramsFloodLimitIsRetriedWhenTelegramSays() {
        Verdict verdict = failures.verdict(new TelegramException("sendPhoto", 429, "Too Many Requests", 12, null), 1);

        assertThat(verdict).isEqualTo(new Verdict.Retry(Duration.ofSeconds(12), "sendPhoto: 429 Too Many Requests"));
    }

    @Test
    void aChatThatCannotReceiveIsGivenUp() {
        assertThat(failures.verdict(new TelegramException("sendPhoto", 403, "Forbidden: bot was blocked by the user",
                null, null), 1)).isInstanceOf(Verdict.GiveUp.class);
        assertThat(failures.verdict(new TelegramException("sendPhoto", 400, "Bad Request: chat not found",
                null, null), 1)).isInstanceOf(Verdict.GiveUp.class);
    }

    @Test
    void replicateThrottlingUsesItsHintAndServerErrorsBackOff() {
        assertThat(failures.verdict(new ReplicateException("create", 429, "throttled", 3), 1))
                .isEqualTo(new Verdict.Retry(Duration.ofSeconds(3), "create: 429 throttled"));
        assertThat(failures.verdict(new ReplicateException("create", 503, "unavailable", null), 1))
                .isInstanceOf(Verdict.Retry.class);
        assertThat(failures.verdict(new IOException("timeout"), 2)).isInstanceOf(Verdict.Retry.class);
        assertThat(failures.verdict(new TelegramException("sendPhoto", 502, "Bad Gateway", null, null), 2))
                .isInstanceOf(Verdict.Retry.class);
    }

    @Test
    void backoffGrowsWithEachDeliveryAndIsCapped() {
        assertThat(failures.backoff(1)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(6));
        assertThat(failures.backoff(3)).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(24));
        assertThat(failures.backoff(40)).isBetween(Duration.ofSeconds(300), Duration.ofSeconds(360));
    }
}
