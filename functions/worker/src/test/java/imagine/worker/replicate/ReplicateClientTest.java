package imagine.worker.replicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imagine.worker.replicate.ReplicateClient.CreateOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplicateClientTest {
    private final MockWebServer server = new MockWebServer();
    private ReplicateClient replicate;

    @BeforeEach
    void start() throws IOException {
        server.start();
        replicate = new ReplicateClient(new OkHttpClient(), server.url("/").toString(), "test-replicate-token");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createPostsTheInputToTheModelsPredictionsAndWaits() throws Exception {
        server.enqueue(new MockResponse.Builder().code(201).body("{\"id\":\"p1\",\"model\":\"ideogram-ai/ideogram-v3-turbo\","
                + "\"status\":\"succeeded\",\"output\":\"https://replicate.delivery/p1/out.png\","
                + "\"created_at\":\"2026-11-24T10:00:00.123456Z\"}").build());

        Prediction prediction = replicate.create("ideogram-ai", "ideogram-v3-turbo",
                Map.of("prompt", "a fox"), new CreateOptions(null, 10, Duration.ofMinutes(10)));

        assertThat(prediction.succeeded()).isTrue();
        assertThat(prediction.outputUrls()).containsExactly("https://replicate.delivery/p1/out.png");
        assertThat(prediction.created()).isNotNull();
        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/models/ideogram-ai/ideogram-v3-turbo/predictions");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer test-replicate-token");
        assertThat(request.getHeaders().get("Prefer")).isEqualTo("wait=10");
        assertThat(request.getHeaders().get("Cancel-After")).isEqualTo("10m");
        assertThat(request.getBody().string(StandardCharsets.UTF_8)).isEqualTo("{\"input\":{\"prompt\":\"a fox\"}}");
    }

    @Test
    void anAnswerSlowerThanTheReadTimeoutIsANetworkFailureNotAReplicateError() {
        ReplicateClient impatient = new ReplicateClient(new OkHttpClient.Builder()
                .readTimeout(java.time.Duration.ofMillis(300)).build(), server.url("/").toString(), "test-replicate-token");
        server.enqueue(new MockResponse.Builder().code(201).headersDelay(2, java.util.concurrent.TimeUnit.SECONDS)
                .body("{\"id\":\"p1\",\"status\":\"starting\"}").build());
        server.enqueue(new MockResponse.Builder().code(200).bodyDelay(2, java.util.concurrent.TimeUnit.SECONDS)
                .body("{\"id\":\"p1\",\"status\":\"processing\"}").build());

        assertThatThrownBy(() -> impatient.create("ideogram-ai", "ideogram-v3-turbo", Map.of("prompt", "a fox"),
                new CreateOptions(null, 0, null)))
                .as("no answer in time").isInstanceOf(java.io.InterruptedIOException.class)
                .isNotInstanceOf(ReplicateException.class);
        assertThatThrownBy(() -> impatient.get("p1")).as("headers in time, body too late")
                .isInstanceOf(java.io.InterruptedIOException.class);
    }

    @Test
    void createWithAWebhookAsksForTheCompletedEventOnly() throws Exception {
        server.enqueue(new MockResponse.Builder().code(201).body("{\"id\":\"p2\",\"status\":\"starting\"}").build());

        replicate.create("kwaivgi", "kling-v2.1", Map.of("prompt", "waves"),
                new CreateOptions("https://example.test/replicate", 0, Duration.ofSeconds(90)));

        RecordedRequest request = server.takeRequest();
        assertThat(request.getHeaders().get("Prefer")).isNull();
        assertThat(request.getHeaders().get("Cancel-After")).isEqualTo("90s");
        assertThat(request.getBody().string(StandardCharsets.UTF_8)).isEqualTo("{\"input\":{\"prompt\":\"waves\"},"
                + "\"webhook\":\"https://example.test/replicate\",\"webhook_events_filter\":[\"completed\"]}");
    }

    @Test
    void throttlingCarriesRetryAfterAndTheDetail() {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "3")
                .body("{\"title\":\"Request was throttled.\",\"detail\":\"Request was throttled. Expected available in 3 "
                        + "seconds.\",\"status\":429}").build());

        assertThatThrownBy(() -> replicate.get("p1"))
                .isInstanceOfSatisfying(ReplicateException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.retryAfter()).isEqualTo(3);
                    assertThat(e.detail()).startsWith("Request was throttled");
                });
    }

    @Test
    void validationErrorsCarryReplicatesDetail() {
        server.enqueue(new MockResponse.Builder().code(422).body(
                "{\"detail\":\"- input.aspect_ratio: aspect_ratio must be one of the following: \\\"1:1\\\"\","
                        + "\"status\":422,\"title\":\"Input validation failed\"}").build());

        assertThatThrownBy(() -> replicate.create("google", "imagen-4-ultra", Map.of("prompt", "x"),
                new CreateOptions(null, 0, null)))
                .isInstanceOfSatisfying(ReplicateException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.detail()).contains("aspect_ratio must be one of");
                });
    }

    @Test
    void cancelPostsToTheCancelUrlAndFailedPredictionsExplainThemselves() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body(
                "{\"id\":\"p3\",\"status\":\"failed\",\"error\":\"NSFW content detected.\"}").build());

        Prediction prediction = replicate.cancel("p3");

        assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/v1/predictions/p3/cancel");
        assertThat(prediction.isTerminal()).isTrue();
        assertThat(prediction.errorText()).isEqualTo("NSFW content detected.");
    }

    @Test
    void downloadKeepsTheMediaType() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "image/webp; charset=binary")
                .body("RIFF").build());

        ReplicateClient.Download download = replicate.download(server.url("/p1/out.webp").toString());

        assertThat(download.contentType()).isEqualTo("image/webp");
        assertThat(download.bytes()).hasSize(4);
        assertThat(server.takeRequest().getHeaders().get("Authorization")).isNull();
    }

    @Test
    void theRecordedListResponseCarriesEachPredictionsInputAndCreationTime() throws Exception {
        server.enqueue(new MockResponse.Builder().body(events("replicate-predictions-list.json")).build());

        List<Prediction> listed = replicate.createdSince(Instant.parse("2023-09-08T16:00:00Z"));

        assertThat(listed).singleElement().satisfies(prediction -> {
            assertThat(prediction.id()).isEqualTo("gm3qorzdhgbfurvjtvhg6dckhu");
            assertThat(prediction.input().get("text").asText()).isEqualTo("Alice");
            assertThat(prediction.created()).isEqualTo(Instant.parse("2023-09-08T16:19:34.907244Z"));
            assertThat(prediction.status()).isEqualTo(PredictionStatus.SUCCEEDED);
        });
        assertThat(server.takeRequest().getUrl().queryParameter("created_after")).isEqualTo("2023-09-08T16:00:00Z");
    }

    @Test
    void listingFollowsTheNextPagesBackToTheGivenTimeAndNoFurther() throws Exception {
        String newer = "{\"id\":\"a\",\"status\":\"processing\",\"created_at\":\"2026-11-24T10:05:00Z\"}";
        String inWindow = "{\"id\":\"b\",\"status\":\"processing\",\"created_at\":\"2026-11-24T10:01:00Z\"}";
        String older = "{\"id\":\"c\",\"status\":\"succeeded\",\"created_at\":\"2026-11-24T09:00:00Z\"}";
        server.enqueue(new MockResponse.Builder().body("{\"results\":[" + newer + "],\"next\":\""
                + server.url("/v1/predictions?cursor=page2") + "\"}").build());
        server.enqueue(new MockResponse.Builder().body("{\"results\":[" + inWindow + "," + older + "],\"next\":\""
                + server.url("/v1/predictions?cursor=page3") + "\"}").build());

        List<Prediction> listed = replicate.createdSince(Instant.parse("2026-11-24T10:00:00Z"));

        assertThat(listed).extracting(Prediction::id).containsExactly("a", "b");
        assertThat(server.getRequestCount()).as("no page beyond the given time").isEqualTo(2);
        server.takeRequest();
        assertThat(server.takeRequest().getUrl().queryParameter("cursor")).isEqualTo("page2");
    }

    @Test
    void abortedIsAnEndAndUnknownStatusesAreStillRunning() throws Exception {
        server.enqueue(new MockResponse.Builder().body("{\"id\":\"p1\",\"status\":\"aborted\"}").build());
        server.enqueue(new MockResponse.Builder().body("{\"id\":\"p1\",\"status\":\"queued-somewhere\"}").build());

        assertThat(replicate.get("p1").isTerminal()).isTrue();
        assertThat(replicate.get("p1").status()).isEqualTo(PredictionStatus.UNKNOWN);
    }

    @Test
    void anOutputGivenInlineAsADataUriIsDecodedWithoutARequest() throws Exception {
        ReplicateClient.Download download = replicate.download("data:image/png;base64,"
                + Base64.getEncoder().encodeToString(new byte[] {(byte) 0x89, 'P', 'N', 'G'}));

        assertThat(download.contentType()).isEqualTo("image/png");
        assertThat(download.bytes()).containsExactly((byte) 0x89, 'P', 'N', 'G');
        assertThat(server.getRequestCount()).isZero();
    }

    private static String events(String name) throws IOException {
        try (InputStream in = ReplicateClientTest.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
