package imagine.local.replicate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class BurstTest {
    private static final Duration LATENCY = Duration.ofSeconds(3);

    /** Run one after another, fifty predictions would take fifty latencies. */
    @Test
    void fiftyConcurrentPredictionsRunInParallel() throws Exception {
        try (LocalReplicate replicate = LocalReplicate.start(LocalReplicate.Options.builder()
            .latency(LATENCY).jitter(0).models(Models.ALL).build())) {
            Api api = new Api(replicate.baseUrl(), "token");
            long start = System.nanoTime();
            List<CompletableFuture<Api.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                answers.add(api.postAsync(Models.path(Models.FLUX), Api.create("picture number " + i, "16:9"), "wait"));
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            for (CompletableFuture<Api.Answer> answer : answers) {
                assertThat(answer.join().body().get("status").asText()).isEqualTo("succeeded");
            }
            assertThat(replicate.createdCount()).isEqualTo(50);
            assertThat(elapsed).isGreaterThanOrEqualTo(LATENCY).isLessThan(LATENCY.multipliedBy(2));
        }
    }
}
