package imagine.local.replicate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class BurstTest {
    private static final Duration LATENCY = Duration.ofSeconds(3);

    /**
     * Run one after another, fifty predictions would take fifty latencies. Run side by side, every one is created
     * before the first completes. (How long the whole burst takes also depends on drawing fifty pictures on this
     * machine's cores, so it is not the measure.)
     */
    @Test
    void fiftyConcurrentPredictionsRunInParallel() throws Exception {
        try (LocalReplicate replicate = LocalReplicate.start(LocalReplicate.Options.builder()
            .latency(LATENCY).jitter(0).models(Models.ALL).pictureLongSide(Models.SMALL_PICTURES).build())) {
            Api api = new Api(replicate.baseUrl(), "token");
            long start = System.nanoTime();
            List<CompletableFuture<Api.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                answers.add(api.postAsync(Models.path(Models.FLUX), Api.create("picture number " + i, "16:9"), "wait"));
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            List<JsonNode> predictions = answers.stream().map(answer -> answer.join().body()).toList();
            assertThat(predictions).allSatisfy(p -> assertThat(p.get("status").asText()).isEqualTo("succeeded"));
            assertThat(replicate.createdCount()).isEqualTo(50);
            Instant lastCreated = predictions.stream().map(p -> instant(p, "created_at")).max(Instant::compareTo)
                    .orElseThrow();
            Instant firstCompleted = predictions.stream().map(p -> instant(p, "completed_at")).min(Instant::compareTo)
                    .orElseThrow();
            assertThat(lastCreated).as("every prediction created before the first completed").isBefore(firstCompleted);
            assertThat(elapsed).isGreaterThanOrEqualTo(LATENCY);
        }
    }

    private static Instant instant(JsonNode prediction, String field) {
        return Instant.parse(prediction.get(field).asText());
    }
}
