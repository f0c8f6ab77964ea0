package imagine.local.replicate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FaultsTest {
    private LocalReplicate replicate;
    private Api api;

    @BeforeEach
    void start() {
        replicate = LocalReplicate.start(LocalReplicate.Options.builder()
            .latency(Duration.ofMillis(200)).jitter(0).models(Models.ALL).pictureLongSide(Models.SMALL_PICTURES).build());
        api = new Api(replicate.baseUrl(), "any-token");
    }

    @AfterEach
    void stop() {
        replicate.close();
    }

    @Test
    void aRefusalEndsFailedWithTheContentFilterError() throws Exception {
        replicate.failNext(Fault.REFUSE);

        Api.Answer answer = api.post(Models.path(Models.FLUX), Api.create("a fox", null), "wait");

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.body().get("status").asText()).isEqualTo("failed");
        assertThat(answer.body().get("error").asText())
            .isEqualTo("NSFW content detected. Try running it again, or try a different prompt.");
        assertThat(answer.body().get("output").isNull()).isTrue();
        assertThat(api.post(Models.path(Models.FLUX), Api.create("a fox", null), "wait").body()
            .get("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void aServerErrorAnswers500() throws Exception {
        replicate.failNext(Fault.SERVER_ERROR);

        Api.Answer answer = api.post(Models.path(Models.FLUX), Api.create("a fox", null), null);

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.body().get("status").asInt()).isEqualTo(500);
        assertThat(replicate.createdCount()).isZero();
    }

    @Test
    void aRateLimitAnswers429WithRetryAfter() throws Exception {
        replicate.failNext(Fault.RATE_LIMITED);

        Api.Answer answer = api.post(Models.path(Models.FLUX), Api.create("a fox", null), null);

        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.header("Retry-After")).isEqualTo("2");
        assertThat(answer.body().get("detail").asText())
            .isEqualTo("Request was throttled. Expected available in 2 seconds.");
    }

    @Test
    void anInvalidInputFaultAnswers422() throws Exception {
        replicate.failNext(Fault.INVALID_INPUT);

        Api.Answer answer = api.post(Models.path(Models.FLUX), Api.create("a fox", null), null);

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body().get("title").asText()).isEqualTo("Input validation failed");
        assertThat(answer.body().get("invalid_fields").isArray()).isTrue();
    }

    @Test
    void aHungPredictionStaysProcessingUntilCanceled() throws Exception {
        replicate.failNext(Fault.HANG);

        Api.Answer created = api.post(Models.path(Models.FLUX), Api.create("a fox", null), "wait=1");

        assertThat(created.body().get("status").asText()).isEqualTo("processing");
        String id = created.body().get("id").asText();
        Api.Answer canceled = api.post("/v1/predictions/" + id + "/cancel", "", null);
        assertThat(canceled.status()).isEqualTo(200);
        assertThat(canceled.body().get("status").asText()).isEqualTo("canceled");
        assertThat(replicate.awaitCompleted(id, Duration.ofSeconds(1)).status())
            .isEqualTo(Prediction.Status.CANCELED);
        assertThat(api.get("/v1/predictions/" + id).body().get("status").asText()).isEqualTo("canceled");
    }

    @Test
    void aFaultForOneModelWaitsForThatModel() throws Exception {
        replicate.failNext(Models.SEEDREAM, Fault.SERVER_ERROR);

        assertThat(api.post(Models.path(Models.FLUX), Api.create("a fox", null), null).status()).isEqualTo(201);
        assertThat(api.post(Models.path(Models.SEEDREAM), Api.create("a fox", null), null).status()).isEqualTo(500);
        assertThat(api.post(Models.path(Models.SEEDREAM), Api.create("a fox", null), null).status()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"#error500", "#ratelimit"})
    void promptCuesRefuseTheCreate(String cue) throws Exception {
        Api.Answer answer = api.post(Models.path(Models.FLUX), Api.create("a fox " + cue, null), null);

        assertThat(answer.status()).isEqualTo(cue.equals("#error500") ? 500 : 429);
    }

    @Test
    void promptCuesFailOrHangThePrediction() throws Exception {
        Api.Answer refused = api.post(Models.path(Models.FLUX), Api.create("кот #refuse", null), "wait");
        Api.Answer hung = api.post(Models.path(Models.FLUX), Api.create("a fox #HANG", null), "wait=1");

        assertThat(refused.body().get("status").asText()).isEqualTo("failed");
        assertThat(hung.body().get("status").asText()).isEqualTo("processing");
    }
}
