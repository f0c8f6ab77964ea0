package imagine.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import imagine.core.BlockedTerms;
import imagine.core.Cancellations;
import imagine.core.Catalog;
import imagine.core.DeliveredResult;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.StorageKeys;
import imagine.core.Task;
import imagine.core.testing.TestContext;
import imagine.core.usage.Units;
import imagine.core.usage.UsageLedger;
import imagine.worker.JobRecord.State;
import imagine.worker.JobStore.Versioned;
import imagine.worker.replicate.ReplicateClient;
import imagine.worker.telegram.TelegramClient;
import imagine.worker.telegram.TelegramException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The job's life through its record in a real S3-compatible store, with Replicate and Telegram answering
 * over HTTP from a scripted server: what happens on redelivery, duplicates, crashes and refusals.
 */
class JobRunnerTest {
    private static S3Stub s3;
    private final MockWebServer remote = new MockWebServer();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Function<RecordedRequest, MockResponse>> routes = new ConcurrentHashMap<>();
    private final AtomicInteger jobs = new AtomicInteger();
    private JobRunner runner;
    private JobRunner callbackRunner;
    private JobStore store;
    private UsageLedger ledger;
    private MediaStore media;
    private Completion completion;
    private PhotoInputs photos;
    private Albums albums;

    @BeforeAll
    static void startStore() {
        s3 = new S3Stub();
    }

    @AfterAll
    static void stopStore() {
        s3.close();
    }

    @BeforeEach
    void start() throws IOException {
        remote.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.add(request);
                String path = request.getUrl().encodedPath();
                return routes.entrySet().stream().filter(route -> path.endsWith(route.getKey())).findFirst()
                        .map(route -> route.getValue().apply(request))
                        .orElse(new MockResponse.Builder().code(404).build());
            }
        });
        remote.start();
        OkHttpClient http = new OkHttpClient();
        store = new JobStore(s3.client(), S3Stub.BUCKET);
        ledger = new UsageLedger(s3.client(), S3Stub.BUCKET, Clock.systemUTC());
        QuotaRefunds refunds = new QuotaRefunds(ledger, Catalog.load());
        TelegramClient telegram = new TelegramClient(http, remote.url("/telegram").toString(), "0000:test-token");
        Delivery delivery = new Delivery(telegram, ChatPacer.NONE, millis -> { });
        PlanningResults planningResults = new PlanningResults(store, jobs -> { }, delivery, BlockedTerms.NONE, refunds);
        media = new MediaStore(s3.client(), S3Stub.BUCKET);
        photos = new PhotoInputs(telegram, media);
        albums = new Albums(s3.client(), S3Stub.BUCKET, media, delivery);
        ReplicateClient replicate = new ReplicateClient(http, remote.url("/").toString(), "test-replicate-token");
        completion = new Completion(store, media, replicate, delivery, planningResults, refunds,
                new Cancellations(s3.client(), S3Stub.BUCKET), albums, Catalog.load(), Clock.systemUTC());
        runner = new JobRunner(store, replicate, completion, photos, delivery, Catalog.load(), Clock.systemUTC(),
                millis -> { }, null);
        callbackRunner = new JobRunner(store, replicate, completion, photos, delivery, Catalog.load(), Clock.systemUTC(),
                millis -> { }, new JobRunner.CallbackMode("https://bot.example/replicate", Duration.ofSeconds(120)));
        routes.put("/sendChatAction", request -> telegramOk("true"));
        routes.put("/sendPhoto", request -> telegramOk("{\"message_id\":90,\"chat\":{\"id\":1,\"type\":\"private\"}}"));
        routes.put("/sendMessage", request -> telegramOk("{\"message_id\":91,\"chat\":{\"id\":1,\"type\":\"private\"}}"));
        routes.put("/predictions", request -> request.getMethod().equals("GET")
                ? new MockResponse.Builder().body("{\"next\":null,\"results\":[]}").build()
                : prediction("p1", "processing", null, null));
        routes.put("/predictions/p1", request -> prediction("p1", "succeeded", remote.url("/out/p1.png").toString(), null));
        routes.put("/out/p1.png", request -> new MockResponse.Builder().addHeader("Content-Type", "image/png")
                .body("png-bytes").build());
    }

    @AfterEach
    void stop() {
        remote.close();
    }

    private Job job() {
        return Job.builder().jobId("test-" + System.nanoTime() + "-" + jobs.incrementAndGet()).replyingTo(1, 10).user(1, "en").prompt("a fox").model("ideogram").aspectRatio("1:1").position(1, 1).build();
    }

    @Test
    void aJobGoesFromPromptToPhotoAndIsRecordedAsDelivered() throws Exception {
        Job job = job();

        assertThat(runner.run(job, "m1", () -> 60_000)).isEqualTo(JobRunner.Outcome.FINISHED);

        assertThat(count("/predictions")).isEqualTo(1);
        RecordedRequest create = find("/predictions");
        assertThat(create.getHeaders().get("Prefer")).isEqualTo("wait=1");
        assertThat(create.getUrl().encodedPath()).isEqualTo("/v1/models/ideogram-ai/ideogram-v3-turbo/predictions");
        assertThat(create.getBody().string(StandardCharsets.UTF_8)).contains("\"prompt\":\"a fox\"", "\"aspect_ratio\":\"1:1\"");
        assertThat(find("/sendPhoto").getBody().string(StandardCharsets.UTF_8)).contains("png-bytes", "1/1 · Ideogram v3 Turbo");
        assertThat(store.load(job.jobId()).orElseThrow().record().state()).isEqualTo(State.DELIVERED);
    }

    @Test
    void aRetryAfterACrashResumesThePredictionInsteadOfCreatingAnother() throws Exception {
        Job job = job();
        routes.put("/sendPhoto", request -> new MockResponse.Builder().code(502)
                .body("{\"ok\":false,\"error_code\":502,\"description\":\"Bad Gateway\"}").build());
        assertThatThrownBy(() -> runner.run(job, "m1", () -> 60_000)).isInstanceOf(TelegramException.class);
        assertThat(store.load(job.jobId()).orElseThrow().record().state()).isEqualTo(State.STORED);

        routes.put("/sendPhoto", request -> telegramOk("{\"message_id\":92,\"chat\":{\"id\":1,\"type\":\"private\"}}"));
        runner.run(job, "m1", () -> 60_000);

        assertThat(count("/predictions")).isEqualTo(1);
        assertThat(count("/sendPhoto")).isEqualTo(2);
        assertThat(store.load(job.jobId()).orElseThrow().record().state()).isEqualTo(State.DELIVERED);
    }

    @Test
    void aRetryWhileThePredictionRunsPicksItUpByItsRecordedId() throws Exception {
        Job job = job();
        routes.put("/predictions/p1", request -> prediction("p1", "processing", null, null));
        assertThatThrownBy(() -> runner.run(job, "m1", () -> 10_500)).isInstanceOf(RetryLater.class);
        assertThat(store.load(job.jobId()).orElseThrow().record().predictionId()).isEqualTo("p1");

        routes.put("/predictions/p1", request -> prediction("p1", "succeeded", remote.url("/out/p1.png").toString(), null));
        runner.run(job, "m1", () -> 60_000);

        assertThat(count("/predictions")).isEqualTo(1);
        assertThat(count("/sendPhoto")).isEqualTo(1);
    }

    @Test
    void anotherMessageForTheSameJobIsADuplicateAndDoesNothing() throws Exception {
        Job job = job();
        runner.run(job, "m1", () -> 60_000);
        int before = requests.size();

        assertThat(runner.run(job, "m2", () -> 60_000)).isEqualTo(JobRunner.Outcome.DUPLICATE);
        assertThat(runner.run(job, "m1", () -> 60_000)).isEqualTo(JobRunner.Outcome.FINISHED);
        assertThat(requests).hasSize(before);
    }

    @Test
    void aSecondReceiveWhileTheFirstIsCreatingThePredictionWaits() {
        Job job = job();
        store.create(job.jobId(), JobRecord.claimed("m1", "another-attempt", System.currentTimeMillis(), job));

        assertThatThrownBy(() -> runner.run(job, "m1", () -> 60_000)).isInstanceOf(RetryLater.class);
        assertThat(count("/predictions")).isZero();
    }

    @Test
    void aClaimLeftByAnAttemptThatDiedIsTakenOver() throws Exception {
        Job job = job();
        store.create(job.jobId(), JobRecord.claimed("m1", "dead-attempt",
                System.currentTimeMillis() - JobRunner.CLAIM_TIMEOUT.toMillis() - 1, job));

        runner.run(job, "m1", () -> 60_000);

        assertThat(count("/sendPhoto")).isEqualTo(1);
    }

    @Test
    void aPredictionCreatedByAnAttemptThatDiedBeforeRecordingItIsFoundAndNotPaidTwice() throws Exception {
        Job job = job();
        long claimedAt = System.currentTimeMillis() - JobRunner.CLAIM_TIMEOUT.toMillis() - 1;
        store.create(job.jobId(), JobRecord.claimed("m1", "dead-attempt", claimedAt, job));
        String orphan = "{\"id\":\"p1\",\"model\":\"ideogram-ai/ideogram-v3-turbo\",\"status\":\"processing\","
                + "\"created_at\":\"" + java.time.Instant.ofEpochMilli(claimedAt + 100) + "\",\"input\":{"
                + "\"magic_prompt_option\":\"Auto\",\"prompt\":\"a fox\",\"aspect_ratio\":\"1:1\",\"seed\":"
                + JobRunner.seed(job) + "}}";
        String stranger = orphan.replace("\"p1\"", "\"p9\"").replace("a fox", "a wolf");
        routes.put("/predictions", request -> request.getMethod().equals("GET")
                ? new MockResponse.Builder().body("{\"results\":[" + stranger + "," + orphan + "]}").build()
                : prediction("p2", "processing", null, null));

        runner.run(job, "m1", () -> 60_000);

        assertThat(requests).filteredOn(r -> r.getMethod().equals("POST") && r.getUrl().encodedPath().endsWith("/predictions"))
                .isEmpty();
        assertThat(store.load(job.jobId()).orElseThrow().record().predictionId()).isEqualTo("p1");
        assertThat(count("/sendPhoto")).isEqualTo(1);
    }

    @Test
    void aModelThatRejectsTheInputIsExplainedOnceAndNotRetried() throws Exception {
        Job job = job();
        routes.put("/predictions", request -> new MockResponse.Builder().code(422)
                .body("{\"detail\":\"prompt is too long\",\"status\":422}").build());

        runner.run(job, "m1", () -> 60_000);
        runner.run(job, "m1", () -> 60_000);

        assertThat(count("/sendMessage")).isEqualTo(1);
        assertThat(find("/sendMessage").getBody().string(StandardCharsets.UTF_8))
                .contains("the model refused. It did not accept the input: prompt is too long");
        assertThat(store.load(job.jobId()).orElseThrow().record().state()).isEqualTo(State.ENDED);
    }

    @Test
    void aCancelDropsAQueuedJobAndStopsARunningPredictionAndNothingIsSentOrCounted() throws Exception {
        long user = 8000 + jobs.incrementAndGet();
        ledger.take(user, "u" + user, new Units(2, 0), new Units(2, 0));
        Job running = Job.builder().jobId(user + "-0-0").replyingTo(1, 10).user(user, "en").prompt("a fox").model("ideogram").aspectRatio("1:1").position(1, 2).quotaDay(ledger.today()).build();
        Job queued = Job.builder().jobId(user + "-0-1").replyingTo(1, 10).user(user, "en").prompt("a fox").model("ideogram").aspectRatio("1:1").position(2, 2).quotaDay(ledger.today()).build();
        routes.put("/predictions/p1", request -> prediction("p1", "processing", null, null));
        assertThatThrownBy(() -> runner.run(running, "m1", () -> 10_500)).isInstanceOf(RetryLater.class);

        new Cancellations(s3.client(), S3Stub.BUCKET).cancelThrough(user, user);
        routes.put("/predictions/p1/cancel", request -> prediction("p1", "canceled", null, null));
        runner.run(queued, "m2", () -> 60_000);
        runner.run(running, "m1", () -> 60_000);

        assertThat(requests).filteredOn(r -> r.getMethod().equals("POST") && r.getUrl().encodedPath().endsWith("/predictions"))
                .as("the queued job never paid for").hasSize(1);
        assertThat(count("/predictions/p1/cancel")).isEqualTo(1);
        assertThat(count("/sendPhoto") + count("/sendMessage")).isZero();
        assertThat(store.load(running.jobId()).orElseThrow().record().state()).isEqualTo(State.ENDED);
        assertThat(store.load(queued.jobId()).orElseThrow().record().state()).isEqualTo(State.ENDED);
        assertThat(ledger.used(user)).isEqualTo(Units.NONE);
    }

    @Test
    void aVideoIsShownAsBeingRecordedSentAsAVideoAndARefusedOneIsExplainedAsAVideo() throws Exception {
        Job video = Job.builder().jobId("test-video-" + jobs.incrementAndGet()).replyingTo(1, 10).user(1, "en").prompt("waves").model("seedance").aspectRatio("16:9").position(1, 1).build();
        routes.put("/predictions/p1", request -> prediction("p1", "succeeded", remote.url("/out/p1.mp4").toString(), null));
        routes.put("/out/p1.mp4", request -> new MockResponse.Builder().addHeader("Content-Type", "video/mp4")
                .body("mp4-bytes").build());
        routes.put("/sendVideo", request -> telegramOk("{\"message_id\":93,\"chat\":{\"id\":1,\"type\":\"private\"}}"));

        runner.run(video, "m1", () -> 60_000);

        assertThat(find("/sendChatAction").getBody().string(StandardCharsets.UTF_8)).contains("upload_video");
        assertThat(find("/predictions").getUrl().encodedPath()).isEqualTo("/v1/models/bytedance/seedance-1-lite/predictions");
        assertThat(find("/sendVideo").getBody().string(StandardCharsets.UTF_8)).contains("mp4-bytes", "1/1 · Seedance 1 Lite");

        Job refused = Job.builder().jobId("test-video-" + jobs.incrementAndGet()).replyingTo(1, 10).user(1, "en").prompt("waves").model("seedance").aspectRatio("16:9").position(1, 1).build();
        routes.put("/predictions", request -> new MockResponse.Builder().code(422)
                .body("{\"detail\":\"duration must be 5 or 10\",\"status\":422}").build());
        runner.run(refused, "m2", () -> 60_000);

        assertThat(find("/sendMessage").getBody().string(StandardCharsets.UTF_8))
                .contains("I could not make video 1/1 (\\\"waves\\\"): the model refused.");
    }

    @Test
    void aJobThatEndsWithoutAResultGivesItsUnitBackOnceAndAJobAsFileIsSentAsADocument() throws Exception {
        long user = 7000 + jobs.incrementAndGet();
        ledger.take(user, "u1", new Units(2, 0), new Units(2, 0));
        Job refused = Job.builder().jobId("test-refund-" + user).replyingTo(1, 10).user(user, "en").prompt("a fox").model("ideogram").aspectRatio("1:1").position(1, 2).quotaDay(ledger.today()).build();
        Job asFile = Job.builder().jobId("test-file-" + user).replyingTo(1, 10).user(user, "en").prompt("a fox").model("ideogram").aspectRatio("1:1").position(2, 2).asFile(true).quotaDay(ledger.today()).build();
        routes.put("/sendDocument", request -> telegramOk("{\"message_id\":92,\"chat\":{\"id\":1,\"type\":\"private\"}}"));
        routes.put("/predictions/p1", request -> prediction("p1", "failed", null, "NSFW content detected."));
        runner.run(refused, "m1", () -> 60_000);
        runner.run(refused, "m1", () -> 60_000);

        assertThat(ledger.used(user)).isEqualTo(new Units(1, 0));

        routes.put("/predictions/p1", request -> prediction("p1", "succeeded", remote.url("/out/p1.png").toString(), null));
        runner.run(asFile, "m2", () -> 60_000);

        assertThat(count("/sendPhoto")).isZero();
        assertThat(find("/sendDocument").getBody().string(StandardCharsets.UTF_8)).contains("png-bytes", "2/2");
        assertThat(ledger.used(user)).isEqualTo(new Units(1, 0));
    }

    @Test
    void aSafetyRefusalIsExplainedInPlainWords() throws Exception {
        routes.put("/predictions/p1", request -> prediction("p1", "failed", null, "NSFW content detected."));

        runner.run(job(), "m1", () -> 60_000);

        assertThat(find("/sendMessage").getBody().string(StandardCharsets.UTF_8))
                .contains("It flagged the prompt or the picture as unsafe");
    }

    @Test
    void aPredictionPastItsDeadlineIsCanceledAndTheUserTold() throws Exception {
        routes.put("/predictions/p1", request -> prediction("p1", "processing", null, null, "2020-01-01T00:00:00Z"));
        routes.put("/predictions/p1/cancel", request -> prediction("p1", "canceled", null, null, "2020-01-01T00:00:00Z"));

        runner.run(job(), "m1", () -> 60_000);

        assertThat(count("/cancel")).isEqualTo(1);
        assertThat(find("/sendMessage").getBody().string(StandardCharsets.UTF_8)).contains("took too long");
    }

    @Test
    void aServerErrorOnCreateLetsTheNextAttemptCreateAtOnce() throws Exception {
        Job job = job();
        routes.put("/predictions", request -> new MockResponse.Builder().code(500).body("{\"detail\":\"oops\"}").build());
        assertThatThrownBy(() -> runner.run(job, "m1", () -> 60_000)).isInstanceOf(
                imagine.worker.replicate.ReplicateException.class);

        routes.put("/predictions", request -> prediction("p1", "processing", null, null));
        runner.run(job, "m1", () -> 60_000);

        assertThat(count("/sendPhoto")).isEqualTo(1);
    }

    private Job edit() {
        return Job.builder().jobId("test-" + System.nanoTime() + "-" + jobs.incrementAndGet()).replyingTo(1, 10).user(1, "en").prompt("make it blue").model("kontext").aspectRatio("match_input_image").position(1, 1).photoFileId("photo-file-1").build();
    }

    private void telegramHasThePhoto() {
        routes.put("/getFile", request -> telegramOk(
                "{\"file_id\":\"photo-file-1\",\"file_size\":10,\"file_path\":\"photos/file_1.jpg\"}"));
        routes.put("/photos/file_1.jpg", request -> new MockResponse.Builder().body("jpeg-bytes").build());
    }

    @Test
    void aPhotoEditGivesTheModelAShortLivedS3LinkToThePhotoNeverTelegramsAddress() throws Exception {
        Job job = edit();
        telegramHasThePhoto();

        runner.run(job, "m1", () -> 60_000);

        assertThat(find("/photos/file_1.jpg").getUrl().encodedPath())
                .isEqualTo("/telegram/file/bot0000:test-token/photos/file_1.jpg");
        RecordedRequest create = find("/predictions");
        assertThat(create.getUrl().encodedPath()).isEqualTo("/v1/models/black-forest-labs/flux-kontext-pro/predictions");
        String body = create.getBody().string(StandardCharsets.UTF_8);
        assertThat(body).doesNotContain("test-token", "/file/bot");
        String link = Json.MAPPER.readTree(body).at("/input/input_image").asText();
        assertThat(link).contains("/" + S3Stub.BUCKET + "/" + StorageKeys.input(job.userId(), job.jobId()), "X-Amz-Expires=900");
        HttpResponse<String> fetched = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(link)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(fetched.body()).isEqualTo("jpeg-bytes");
        assertThat(body).contains("\"prompt\":\"make it blue\"", "\"aspect_ratio\":\"match_input_image\"");
        assertThat(count("/sendPhoto")).isEqualTo(1);
    }

    @Test
    void aRetriedEditFetchesThePhotoOnceAndFindsItsOrphanDespiteAFreshlySignedLink() throws Exception {
        Job job = edit();
        telegramHasThePhoto();
        long claimedAt = System.currentTimeMillis() - JobRunner.CLAIM_TIMEOUT.toMillis() - 1;
        store.create(job.jobId(), JobRecord.claimed("m1", "dead-attempt", claimedAt, job));
        media.put(StorageKeys.input(job.userId(), job.jobId()), "jpeg-bytes".getBytes(StandardCharsets.UTF_8), "image/jpeg");
        String orphan = "{\"id\":\"p1\",\"model\":\"black-forest-labs/flux-kontext-pro\",\"status\":\"processing\","
                + "\"created_at\":\"" + java.time.Instant.ofEpochMilli(claimedAt + 100) + "\",\"input\":{"
                + "\"output_format\":\"png\",\"safety_tolerance\":2,\"prompt\":\"make it blue\","
                + "\"aspect_ratio\":\"match_input_image\",\"seed\":" + JobRunner.seed(job)
                + ",\"input_image\":\"http://127.0.0.1/media/" + StorageKeys.input(job.userId(), job.jobId()) + "?X-Amz-Signature=an-older-one\"}}";
        routes.put("/predictions", request -> request.getMethod().equals("GET")
                ? new MockResponse.Builder().body("{\"results\":[" + orphan + "]}").build()
                : prediction("p2", "processing", null, null));

        runner.run(job, "m1", () -> 60_000);

        assertThat(count("/getFile")).isZero();
        assertThat(requests).filteredOn(r -> r.getMethod().equals("POST") && r.getUrl().encodedPath().endsWith("/predictions"))
                .isEmpty();
        assertThat(store.load(job.jobId()).orElseThrow().record().predictionId()).isEqualTo("p1");
    }

    @Test
    void aPhotoTelegramNoLongerHasEndsTheJobWithAnExplanationAndNoPrediction() throws Exception {
        Job job = edit();
        routes.put("/getFile", request -> new MockResponse.Builder().code(400)
                .body("{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: invalid file_id\"}").build());

        assertThat(runner.run(job, "m1", () -> 60_000)).isEqualTo(JobRunner.Outcome.FINISHED);

        assertThat(count("/predictions")).isZero();
        assertThat(find("/sendMessage").getBody().string(StandardCharsets.UTF_8))
                .contains("I could not fetch your photo from Telegram (Bad Request: invalid file_id)");
        assertThat(store.load(job.jobId()).orElseThrow().record().isFinished()).isTrue();
    }

    @Test
    void aCreateWhoseAnswerTimesOutIsRetriedAsANetworkFailureAndAdoptsThePredictionItMade() throws Exception {
        Job job = job();
        long claimedAt = System.currentTimeMillis();
        String made = "{\"id\":\"p1\",\"model\":\"ideogram-ai/ideogram-v3-turbo\",\"status\":\"processing\","
                + "\"created_at\":\"" + java.time.Instant.ofEpochMilli(claimedAt + 50) + "\",\"input\":{"
                + "\"magic_prompt_option\":\"Auto\",\"prompt\":\"a fox\",\"aspect_ratio\":\"1:1\",\"seed\":"
                + JobRunner.seed(job) + "}}";
        routes.put("/predictions", request -> request.getMethod().equals("GET")
                ? new MockResponse.Builder().body("{\"results\":[" + made + "]}").build()
                : new MockResponse.Builder().code(201).headersDelay(2, java.util.concurrent.TimeUnit.SECONDS)
                        .body(made).build());
        OkHttpClient impatient = new OkHttpClient.Builder().readTimeout(Duration.ofMillis(300)).build();
        ReplicateClient replicate = new ReplicateClient(impatient, remote.url("/").toString(), "test-replicate-token");
        JobRunner first = new JobRunner(store, replicate, completion, photos, new Delivery(new TelegramClient(impatient,
                remote.url("/telegram").toString(), "0000:test-token"), ChatPacer.NONE, millis -> { }), Catalog.load(),
                Clock.systemUTC(), millis -> { }, null);

        Throwable timedOut = org.assertj.core.api.Assertions.catchThrowable(() -> first.run(job, "m1", () -> 60_000));
        assertThat(timedOut).isInstanceOf(java.io.InterruptedIOException.class);
        assertThat(new Failures(1).verdict(timedOut, 1)).isInstanceOf(Verdict.Retry.class);
        assertThat(store.load(job.jobId()).orElseThrow().record().state()).as("kept claimed: a prediction may exist")
                .isEqualTo(State.CLAIMED);

        JobRunner later = new JobRunner(store, replicate, completion, photos, new Delivery(new TelegramClient(new OkHttpClient(),
                remote.url("/telegram").toString(), "0000:test-token"), ChatPacer.NONE, millis -> { }), Catalog.load(),
                Clock.offset(Clock.systemUTC(), JobRunner.CLAIM_TIMEOUT.plusSeconds(1)), millis -> { }, null);
        later.run(job, "m1", () -> 60_000);

        assertThat(requests).filteredOn(r -> r.getMethod().equals("POST") && r.getUrl().encodedPath().endsWith("/predictions"))
                .as("one create, whose answer was lost").hasSize(1);
        assertThat(store.load(job.jobId()).orElseThrow().record().predictionId()).isEqualTo("p1");
        assertThat(count("/sendPhoto")).isEqualTo(1);
    }

    @Nested
    class InCallbackMode {
        private final String secret = "whsec_" + java.util.Base64.getEncoder().encodeToString(
                "a test signing key of 32 bytes!!".getBytes(StandardCharsets.UTF_8));
        private final ReplicateSignature signature = new ReplicateSignature(secret);
        private CallbackHandler handler;

        @BeforeEach
        void handler() {
            handler = new CallbackHandler(signature, store, completion, new Failures(1), Clock.systemUTC());
        }

        @Test
        void theWorkerCreatesThePredictionWithAWebhookRecordsItAndDoesNotWait() throws Exception {
            Job job = job();

            assertThat(callbackRunner.run(job, "m1", () -> 60_000)).isEqualTo(JobRunner.Outcome.AWAITING_CALLBACK);

            RecordedRequest create = find("/predictions");
            assertThat(create.getHeaders().get("Prefer")).as("no waiting inside the create call").isNull();
            com.fasterxml.jackson.databind.JsonNode body = Json.MAPPER.readTree(create.getBody().string(StandardCharsets.UTF_8));
            assertThat(body.get("webhook").asText()).isEqualTo("https://bot.example/replicate?job=" + job.jobId());
            assertThat(body.get("webhook_events_filter").toString()).isEqualTo("[\"completed\"]");
            JobRecord record = store.load(job.jobId()).orElseThrow().record();
            assertThat(record.state()).isEqualTo(State.PREDICTING);
            assertThat(record.predictionId()).isEqualTo("p1");
            assertThat(record.job()).isEqualTo(job);
            assertThat(count("/predictions/p1")).as("not polled").isZero();
            assertThat(count("/sendPhoto")).isZero();
            assertThat(callbackRunner.checkAfter()).isEqualTo(Duration.ofSeconds(120));
        }

        @Test
        void aSignedCallbackDeliversThePhotoAndItsReplayDoesNothing() throws Exception {
            Job job = job();
            callbackRunner.run(job, "m1", () -> 60_000);

            String body = succeeded("p1");
            assertThat(callback(job, "msg_1", body).getStatusCode()).isEqualTo(200);
            assertThat(callback(job, "msg_1", body).getStatusCode()).as("the same webhook again").isEqualTo(200);

            assertThat(count("/sendPhoto")).isEqualTo(1);
            assertThat(find("/sendPhoto").getBody().string(StandardCharsets.UTF_8)).contains("png-bytes",
                    "1/1 · Ideogram v3 Turbo");
            assertThat(store.load(job.jobId()).orElseThrow().record().state()).isEqualTo(State.DELIVERED);
            assertThat(callbackRunner.run(job, "m1", () -> 60_000)).as("the check-up finds it done")
                    .isEqualTo(JobRunner.Outcome.FINISHED);
            assertThat(count("/sendPhoto")).isEqualTo(1);
        }

        @Test
        void forgedStaleMalformedAndUnknownCallbacksAreRefusedAndChangeNothing() throws Exception {
            Job job = job();
            callbackRunner.run(job, "m1", () -> 60_000);
            String body = succeeded("p1");
            long now = System.currentTimeMillis() / 1000;
            TestContext context = new TestContext();

            ReplicateSignature wrongKey = new ReplicateSignature("whsec_" + java.util.Base64.getEncoder().encodeToString(
                    "another key entirely, 32 bytes!!".getBytes(StandardCharsets.UTF_8)));
            assertThat(handler.handleRequest(event(job.jobId(), "msg_1", now, body, wrongKey), context).getStatusCode())
                    .as("signed with another key").isEqualTo(401);
            assertThat(handler.handleRequest(event(job.jobId(), "msg_1", now - 301, body, signature), context)
                    .getStatusCode()).as("five minutes old").isEqualTo(401);
            assertThat(handler.handleRequest(event(job.jobId(), "msg_1", now + 301, body, signature), context)
                    .getStatusCode()).as("from the future").isEqualTo(401);
            APIGatewayV2HTTPEvent tampered = event(job.jobId(), "msg_1", now, body, signature);
            tampered.setBody(body.replace("p1.png", "p2.png"));
            assertThat(handler.handleRequest(tampered, context).getStatusCode()).as("body changed").isEqualTo(401);
            APIGatewayV2HTTPEvent unsigned = event(job.jobId(), "msg_1", now, body, signature);
            unsigned.getHeaders().remove("webhook-signature");
            assertThat(handler.handleRequest(unsigned, context).getStatusCode()).isEqualTo(401);
            assertThat(callback(job, "msg_2", "{not json").getStatusCode()).isEqualTo(400);
            assertThat(handler.handleRequest(event("no-such-job", "msg_3", now, body, signature), context)
                    .getStatusCode()).isEqualTo(404);
            assertThat(callback(job, "msg_4", succeeded("p-other")).getStatusCode()).as("not the job's prediction")
                    .isEqualTo(404);

            assertThat(count("/sendPhoto") + count("/sendMessage")).isZero();
            assertThat(count("/out/p1.png")).as("nothing downloaded").isZero();
            assertThat(store.load(job.jobId()).orElseThrow().record().state()).isEqualTo(State.PREDICTING);
            assertThat(String.join("\n", context.logs())).contains("refused").doesNotContain(secret,
                    secret.substring("whsec_".length()));
        }

        @Test
        void theRecordedCallbackInEventsIsRefusedAsAReplay() {
            TestContext context = new TestContext();

            APIGatewayV2HTTPResponse response = handler.handleRequest(
                    com.amazonaws.services.lambda.runtime.tests.EventLoader.loadApiGatewayHttpEvent(
                            "replicate-callback.json"), context);

            assertThat(response.getStatusCode()).isEqualTo(401);
            assertThat(context.logs()).anyMatch(line -> line.contains("5 minutes"));
            assertThat(requests).isEmpty();
        }

        @Test
        void aCallbackBeforeThePredictionIsRecordedIsAskedAgainAndThenDelivers() throws Exception {
            Job job = job();
            store.create(job.jobId(), JobRecord.claimed("m1", "creating-now", System.currentTimeMillis(), job));

            assertThat(callback(job, "msg_1", succeeded("p1")).getStatusCode()).as("retried by Replicate")
                    .isEqualTo(409);
            Versioned claimed = store.load(job.jobId()).orElseThrow();
            store.replace(job.jobId(), claimed, claimed.record().predicting("p1").released());
            assertThat(callback(job, "msg_1", succeeded("p1")).getStatusCode()).isEqualTo(200);

            assertThat(count("/sendPhoto")).isEqualTo(1);
        }

        @Test
        void aCallbackWhileAnotherDeliveryOfItIsBeingHandledWaitsItsTurn() throws Exception {
            Job job = job();
            callbackRunner.run(job, "m1", () -> 60_000);
            Versioned recorded = store.load(job.jobId()).orElseThrow();
            store.replace(job.jobId(), recorded, recorded.record().held(Completion.CALLBACK_HOLDER + "msg_1",
                    System.currentTimeMillis()));

            assertThat(callback(job, "msg_1", succeeded("p1")).getStatusCode()).isEqualTo(409);
            assertThatThrownBy(() -> callbackRunner.run(job, "m1", () -> 60_000))
                    .as("the worker's check-up leaves it to the callback").isInstanceOf(RetryLater.class);
            assertThat(count("/sendPhoto")).isZero();
        }

        @Test
        void aCallbackThatDiedHoldingTheJobIsTakenOverByTheCheckUpOnceItsHoldRunsOut() throws Exception {
            Job job = job();
            callbackRunner.run(job, "m1", () -> 60_000);
            Versioned recorded = store.load(job.jobId()).orElseThrow();
            store.replace(job.jobId(), recorded, recorded.record().held(Completion.CALLBACK_HOLDER + "msg_dead",
                    System.currentTimeMillis() - Completion.HOLD_TIMEOUT.toMillis() - 1));

            assertThat(callbackRunner.run(job, "m1", () -> 60_000)).isEqualTo(JobRunner.Outcome.FINISHED);

            assertThat(count("/sendPhoto")).isEqualTo(1);
            assertThat(store.load(job.jobId()).orElseThrow().record().state()).isEqualTo(State.DELIVERED);
        }

        @Test
        void theWorkerPutsTheMessageBackForTheCheckUpInsteadOfWaiting() {
            Job job = job();
            List<Duration> delays = new CopyOnWriteArrayList<>();
            WorkerHandler worker = new WorkerHandler(callbackRunner, new Failures(1),
                    (receipt, after) -> delays.add(after), java.util.concurrent.Executors.newCachedThreadPool());
            com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage message =
                    new com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage();
            message.setMessageId("m1");
            message.setReceiptHandle("r1");
            message.setBody(Json.MAPPER.valueToTree(job).toString());
            com.amazonaws.services.lambda.runtime.events.SQSEvent event =
                    new com.amazonaws.services.lambda.runtime.events.SQSEvent();
            event.setRecords(List.of(message));

            var response = worker.handleRequest(event, new TestContext(60_000));

            assertThat(response.getBatchItemFailures()).extracting(f -> f.getItemIdentifier()).containsExactly("m1");
            assertThat(delays).containsExactly(Duration.ofSeconds(120));
            assertThat(count("/predictions/p1")).as("nobody waited for the prediction").isZero();
        }

        @Test
        void aCallbackThatFailsToSendLetsTheNextDeliveryFinishTheJob() throws Exception {
            Job job = job();
            callbackRunner.run(job, "m1", () -> 60_000);
            routes.put("/sendPhoto", request -> new MockResponse.Builder().code(502)
                    .body("{\"ok\":false,\"error_code\":502,\"description\":\"Bad Gateway\"}").build());
            assertThat(callback(job, "msg_1", succeeded("p1")).getStatusCode()).isEqualTo(500);

            routes.put("/sendPhoto", request -> telegramOk("{\"message_id\":92,\"chat\":{\"id\":1,\"type\":\"private\"}}"));
            assertThat(callback(job, "msg_1", succeeded("p1")).getStatusCode()).isEqualTo(200);

            assertThat(count("/sendPhoto")).isEqualTo(2);
            assertThat(count("/out/p1.png")).as("the stored copy is sent, not downloaded again").isEqualTo(1);
            assertThat(store.load(job.jobId()).orElseThrow().record().state()).isEqualTo(State.DELIVERED);
        }

        @Test
        void whenNoCallbackComesTheCheckUpPollsTheRecordedPredictionAndALateCallbackDoesNothing() throws Exception {
            Job job = job();
            callbackRunner.run(job, "m1", () -> 60_000);

            assertThat(callbackRunner.run(job, "m1", () -> 60_000)).isEqualTo(JobRunner.Outcome.FINISHED);
            assertThat(callback(job, "msg_late", succeeded("p1")).getStatusCode()).isEqualTo(200);

            assertThat(requests).filteredOn(r -> r.getMethod().equals("POST")
                    && r.getUrl().encodedPath().endsWith("/predictions")).hasSize(1);
            assertThat(count("/sendPhoto")).isEqualTo(1);
        }

        @Test
        void aFailedPredictionsCallbackExplainsOnce() throws Exception {
            Job job = job();
            callbackRunner.run(job, "m1", () -> 60_000);
            String failed = "{\"id\":\"p1\",\"status\":\"failed\",\"error\":\"NSFW content detected.\"}";

            assertThat(callback(job, "msg_1", failed).getStatusCode()).isEqualTo(200);
            assertThat(callback(job, "msg_1", failed).getStatusCode()).isEqualTo(200);

            assertThat(count("/sendMessage")).isEqualTo(1);
            assertThat(find("/sendMessage").getBody().string(StandardCharsets.UTF_8))
                    .contains("It flagged the prompt or the picture as unsafe");
            assertThat(store.load(job.jobId()).orElseThrow().record().state()).isEqualTo(State.ENDED);
        }

        private String succeeded(String id) {
            return "{\"id\":\"" + id + "\",\"status\":\"succeeded\",\"output\":[\"" + remote.url("/out/p1.png")
                    + "\"],\"created_at\":\"" + java.time.Instant.now() + "\"}";
        }

        private APIGatewayV2HTTPResponse callback(Job job, String webhookId, String body) {
            return handler.handleRequest(event(job.jobId(), webhookId, System.currentTimeMillis() / 1000, body,
                    signature), new TestContext());
        }

        private APIGatewayV2HTTPEvent event(String jobId, String webhookId, long timestamp, String body,
                                           ReplicateSignature signer) {
            String signed = java.util.Base64.getEncoder().encodeToString(signer.sign(webhookId, Long.toString(timestamp),
                    body.getBytes(StandardCharsets.UTF_8)));
            Map<String, String> headers = new java.util.HashMap<>(Map.of("content-type", "application/json",
                    "webhook-id", webhookId, "webhook-timestamp", Long.toString(timestamp),
                    "webhook-signature", "v1," + signed));
            return APIGatewayV2HTTPEvent.builder().withRouteKey("POST /replicate").withRawPath("/replicate")
                    .withQueryStringParameters(Map.of("job", jobId)).withHeaders(headers).withBody(body)
                    .withIsBase64Encoded(false).build();
        }
    }

    @Test
    void anOutputTooLargeForTelegramIsSentAsALinkThatWorksForMinutes() throws Exception {
        Job job = job();
        byte[] video = new byte[(int) Delivery.UPLOAD_BYTES_LIMIT + 1];
        video[video.length - 1] = 7;
        String key = StorageKeys.media(job.userId(), job.jobId(), ".mp4");
        media.put(key, video, "video/mp4");
        Versioned stored = store.create(job.jobId(), JobRecord.claimed("m1", "a", 1, job)).orElseThrow();
        stored = store.replace(job.jobId(), stored, stored.record().predicting("p1").stored(key, "video/mp4", "a", 1))
                .orElseThrow();

        completion.deliver(job, stored);

        assertThat(count("/sendPhoto") + count("/sendDocument")).as("no upload Telegram would refuse").isZero();
        String text = Json.MAPPER.readTree(find("/sendMessage").getBody().string(StandardCharsets.UTF_8))
                .get("text").asText();
        assertThat(text).startsWith("1/1 · Ideogram v3 Turbo\na fox\n").contains("51 MB", "within 15 minutes");
        java.net.URI link = java.net.URI.create(text.substring(text.lastIndexOf('\n') + 1));
        assertThat(link.getQuery()).contains("X-Amz-Expires=900");
        java.net.http.HttpResponse<byte[]> download = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(link).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).hasSize(video.length).endsWith((byte) 7);
        assertThat(MediaStore.LINK_LIFETIME).isLessThanOrEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void aResultComesWithAgainFullSizeAndAnimateButtonsAndARecordOfWhatItWasMadeFrom() throws Exception {
        Job job = job();

        runner.run(job, "m1", () -> 60_000);

        String sent = find("/sendPhoto").getBody().string(StandardCharsets.UTF_8);
        String markup = sent.substring(sent.indexOf("{\"inline_keyboard\""));
        assertThat(Json.MAPPER.readTree(markup.substring(0, markup.indexOf("\r\n"))).at("/inline_keyboard/0"))
                .extracting(button -> button.get("text").asText() + " " + button.get("callback_data").asText())
                .containsExactly("🔁 Again 1:ag:" + job.jobId(), "🖼 Full size 1:fs:" + job.jobId(),
                        "🎬 Animate 1:an:" + job.jobId());
        DeliveredResult result = Json.MAPPER.readValue(s3.media().get(StorageKeys.result(job.userId(), job.jobId())),
                DeliveredResult.class);
        assertThat(result).isEqualTo(new DeliveredResult(job, StorageKeys.media(job.userId(), job.jobId(), ".png"), "image/png"));
    }

    @Test
    void aVideoHasNoAnimateButton() throws Exception {
        Job job = Job.builder().jobId("test-" + System.nanoTime()).replyingTo(1, 10).user(1, "ru").prompt("волны").model("seedance").aspectRatio("16:9").position(1, 1).build();
        routes.put("/predictions/p1", request -> prediction("p1", "succeeded", remote.url("/out/p1.mp4").toString(), null));
        routes.put("/out/p1.mp4", request -> new MockResponse.Builder().addHeader("Content-Type", "video/mp4")
                .body("mp4-bytes").build());
        routes.put("/sendVideo", request -> telegramOk("{\"message_id\":93,\"chat\":{\"id\":1,\"type\":\"private\"}}"));

        runner.run(job, "m1", () -> 60_000);

        assertThat(find("/sendVideo").getBody().string(StandardCharsets.UTF_8))
                .contains("🔁 Ещё раз", "🖼 Полный размер").doesNotContain("🎬", ":an:");
    }

    @Test
    void aFullSizeTaskSendsTheStoredOriginalAsADocumentReplyingToTheResultOnce() throws Exception {
        s3.media().put("media/orig-1.png", "original-png-bytes".getBytes(StandardCharsets.UTF_8), "image/png");
        routes.put("/sendDocument", request -> telegramOk("{\"message_id\":94,\"chat\":{\"id\":1,\"type\":\"private\"}}"));
        Job task = Job.builder().jobId("test-" + System.nanoTime() + "-fs").replyingTo(1, 90).user(1, "en").prompt("a fox").model("ideogram").aspectRatio("1:1").position(1, 1).task(Task.FULL_SIZE).asFile(true).mediaKey("media/orig-1.png").build();

        assertThat(runner.run(task, "m1", () -> 60_000)).isEqualTo(JobRunner.Outcome.FINISHED);
        assertThat(runner.run(task, "m2", () -> 60_000)).isEqualTo(JobRunner.Outcome.DUPLICATE);
        assertThat(runner.run(task, "m1", () -> 60_000)).isEqualTo(JobRunner.Outcome.FINISHED);

        assertThat(count("/sendDocument")).isEqualTo(1);
        assertThat(count("/predictions")).isZero();
        String sent = find("/sendDocument").getBody().string(StandardCharsets.UTF_8);
        assertThat(sent).contains("original-png-bytes", "filename=\"" + task.jobId() + ".png\"", "\"message_id\":90")
                .doesNotContain("inline_keyboard");
    }

    @Test
    void aFullSizeTaskForAnExpiredResultSaysSoInsteadOfFailing() throws Exception {
        Job task = Job.builder().jobId("test-" + System.nanoTime() + "-fs").replyingTo(1, 90).user(1, "en").prompt("a fox").model("ideogram").aspectRatio("1:1").position(1, 1).task(Task.FULL_SIZE).asFile(true).mediaKey("media/long-gone.png").build();

        assertThat(runner.run(task, "m1", () -> 60_000)).isEqualTo(JobRunner.Outcome.FINISHED);

        assertThat(count("/sendDocument")).isZero();
        assertThat(find("/sendMessage").getBody().string(StandardCharsets.UTF_8)).contains("no longer kept");
    }

    @Test
    void animatingAResultGivesTheVideoModelAShortLivedLinkToTheStoredImage() throws Exception {
        s3.media().put("media/still-1.png", "still-png-bytes".getBytes(StandardCharsets.UTF_8), "image/png");
        routes.put("/predictions/p1", request -> prediction("p1", "succeeded", remote.url("/out/p1.mp4").toString(), null));
        routes.put("/out/p1.mp4", request -> new MockResponse.Builder().addHeader("Content-Type", "video/mp4")
                .body("mp4-bytes").build());
        routes.put("/sendVideo", request -> telegramOk("{\"message_id\":95,\"chat\":{\"id\":1,\"type\":\"private\"}}"));
        Job job = Job.builder().jobId("test-" + System.nanoTime() + "-an").replyingTo(1, 90).user(1, "en").prompt("a fox").model("kling").aspectRatio("16:9").position(1, 1).mediaKey("media/still-1.png").build();

        runner.run(job, "m1", () -> 60_000);

        RecordedRequest create = find("/predictions");
        assertThat(create.getUrl().encodedPath()).isEqualTo("/v1/models/kwaivgi/kling-v2.1/predictions");
        String link = Json.MAPPER.readTree(create.getBody().string(StandardCharsets.UTF_8)).at("/input/start_image").asText();
        assertThat(link).contains("/" + S3Stub.BUCKET + "/media/still-1.png", "X-Amz-Expires=900");
        HttpResponse<String> fetched = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(link)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(fetched.body()).isEqualTo("still-png-bytes");
        assertThat(count("/getFile")).isZero();
        assertThat(count("/sendVideo")).isEqualTo(1);
    }

    private List<Job> album(int size) {
        String prompt = "test-" + System.nanoTime() + "-" + jobs.incrementAndGet() + "-0";
        return java.util.stream.IntStream.range(0, size).mapToObj(v -> Job.builder().jobId(prompt + "-" + v).replyingTo(1, 10).user(1, "en").prompt("a fox").model("ideogram").aspectRatio("1:1").position(v + 1, size).albumSize(size).build()).toList();
    }

    private void telegramTakesAlbums() {
        routes.put("/sendMediaGroup", request -> telegramOk("[{\"message_id\":96,\"chat\":{\"id\":1,\"type\":\"private\"}},"
                + "{\"message_id\":97,\"chat\":{\"id\":1,\"type\":\"private\"}}]"));
    }

    @Test
    void theImagesOfAPromptInAlbumModeArriveAsOneAlbumWhenTheLastIsReady() throws Exception {
        List<Job> album = album(3);
        telegramTakesAlbums();

        runner.run(album.get(1), "m1", () -> 60_000);
        runner.run(album.get(0), "m0", () -> 60_000);
        assertThat(count("/sendMediaGroup")).isZero();
        runner.run(album.get(2), "m2", () -> 60_000);

        assertThat(count("/sendMediaGroup")).isEqualTo(1);
        assertThat(count("/sendPhoto")).isZero();
        String sent = find("/sendMediaGroup").getBody().string(StandardCharsets.UTF_8);
        String media = sent.substring(sent.indexOf("[{\"type\""));
        com.fasterxml.jackson.databind.JsonNode items = Json.MAPPER.readTree(media.substring(0, media.indexOf("\r\n")));
        assertThat(items).hasSize(3).allSatisfy(item -> assertThat(item.get("type").asText()).isEqualTo("photo"));
        assertThat(items.get(0).get("caption").asText()).isEqualTo("Ideogram v3 Turbo\na fox");
        assertThat(items.get(1).has("caption")).isFalse();
        assertThat(items.get(2).get("media").asText()).isEqualTo("attach://file2");
        assertThat(sent).contains("\"message_id\":10").doesNotContain("inline_keyboard");
        assertThat(album).allSatisfy(job ->
                assertThat(store.load(job.jobId()).orElseThrow().record().state()).isEqualTo(State.DELIVERED));
    }

    @Test
    void twoImagesFinishingAtTheSameMomentSendTheAlbumExactlyOnce() throws Exception {
        telegramTakesAlbums();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 8; round++) {
                List<Job> album = album(2);
                java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
                List<java.util.concurrent.Future<JobRunner.Outcome>> runs = album.stream().map(job -> pool.submit(() -> {
                    together.await();
                    return runAsTheQueueWould(job, "m-" + job.jobId());
                })).toList();
                for (java.util.concurrent.Future<JobRunner.Outcome> run : runs) {
                    assertThat(run.get()).isEqualTo(JobRunner.Outcome.FINISHED);
                }
                assertThat(count("/sendMediaGroup")).as("albums sent after round " + round).isEqualTo(round + 1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A run that throws comes back, as its message would, up to the redrive limit. */
    private JobRunner.Outcome runAsTheQueueWould(Job job, String messageId) throws Exception {
        for (int receive = 1; ; receive++) {
            try {
                return runner.run(job, messageId, () -> 60_000);
            } catch (IOException | RuntimeException e) {
                if (receive == 5) {
                    throw e;
                }
            }
        }
    }

    @Test
    void aFailedImageIsLeftOutOfTheAlbumWhichSaysNothingAboutIt() throws Exception {
        List<Job> album = album(3);
        telegramTakesAlbums();
        java.util.regex.Pattern refusedSeed = java.util.regex.Pattern.compile("\"seed\":" + JobRunner.seed(album.get(1)) + "\\b");
        routes.put("/predictions", request -> request.getMethod().equals("GET")
                ? new MockResponse.Builder().body("{\"next\":null,\"results\":[]}").build()
                : refusedSeed.matcher(request.getBody().string(StandardCharsets.UTF_8)).find()
                ? new MockResponse.Builder().code(422).body("{\"detail\":\"unsupported input\"}").build()
                : prediction("p1", "processing", null, null));

        for (Job job : album) {
            runner.run(job, "m-" + job.jobId(), () -> 60_000);
        }

        assertThat(count("/sendMediaGroup")).isEqualTo(1);
        String sent = find("/sendMediaGroup").getBody().string(StandardCharsets.UTF_8);
        assertThat(sent).contains("attach://file0", "attach://file1").doesNotContain("attach://file2");
        assertThat(count("/sendMessage")).as("the refusal, told once").isEqualTo(1);
        assertThat(store.load(album.get(1).jobId()).orElseThrow().record().state()).isEqualTo(State.ENDED);
    }

    @Test
    void aSenderThatDiesBeforeSendingSendsOnItsRetryAndNeverAgainAfterward() throws Exception {
        List<Job> album = album(2);
        routes.put("/sendMediaGroup", request -> new MockResponse.Builder().code(502)
                .body("{\"ok\":false,\"error_code\":502,\"description\":\"Bad Gateway\"}").build());
        runner.run(album.get(0), "m0", () -> 60_000);
        assertThatThrownBy(() -> runner.run(album.get(1), "m1", () -> 60_000)).isInstanceOf(TelegramException.class);

        telegramTakesAlbums();
        runner.run(album.get(1), "m1", () -> 60_000);
        // The sender's record is put back to before its last write, as if it died after sending the album.
        JobStore.Versioned sender = store.load(album.get(1).jobId()).orElseThrow();
        store.replace(album.get(1).jobId(), sender, sender.record().with(State.STORED));
        runner.run(album.get(1), "m1", () -> 60_000);
        runner.run(album.get(0), "m0", () -> 60_000);

        assertThat(count("/sendMediaGroup")).as("one refused, one accepted").isEqualTo(2);
    }

    @Test
    void anImageThatUsedUpItsRetriesIsLeftOutByTheDeadLetterFunctionAndTheRestIsSent() throws Exception {
        List<Job> album = album(2);
        runner.run(album.get(0), "m0", () -> 60_000);
        OkHttpClient http = new OkHttpClient();
        Delivery delivery = new Delivery(new TelegramClient(http, remote.url("/telegram").toString(), "0000:test-token"),
                ChatPacer.NONE, millis -> { });
        DeadLetterHandler deadLetters = new DeadLetterHandler(delivery, store,
                new ReplicateClient(http, remote.url("/").toString(), "test-replicate-token"), new Failures(1),
                new QuotaRefunds(ledger, Catalog.load()), Catalog.load(),
                new Albums(s3.client(), S3Stub.BUCKET, s3.media(), delivery));
        var message = new com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage();
        message.setMessageId("m1");
        message.setBody(Json.MAPPER.writeValueAsString(album.get(1)));
        var event = new com.amazonaws.services.lambda.runtime.events.SQSEvent();
        event.setRecords(List.of(message));

        deadLetters.handleRequest(event, new imagine.core.testing.TestContext());

        assertThat(find("/sendMessage").getBody().string(StandardCharsets.UTF_8)).contains("a fox");
        assertThat(count("/sendMediaGroup")).isZero();
        assertThat(count("/sendPhoto")).as("the one image made, alone").isEqualTo(1);
        assertThat(find("/sendPhoto").getBody().string(StandardCharsets.UTF_8))
                .contains("Ideogram v3 Turbo\na fox", "png-bytes").doesNotContain("inline_keyboard");
    }

    private long count(String pathEnd) {
        return requests.stream().filter(r -> r.getUrl().encodedPath().endsWith(pathEnd)).count();
    }

    private RecordedRequest find(String pathEnd) {
        return requests.stream().filter(r -> r.getUrl().encodedPath().endsWith(pathEnd)).findFirst().orElseThrow();
    }

    private static MockResponse telegramOk(String result) {
        return new MockResponse.Builder().body("{\"ok\":true,\"result\":" + result + "}").build();
    }

    private static MockResponse prediction(String id, String status, String output, String error) {
        return prediction(id, status, output, error, java.time.Instant.now().toString());
    }

    private static MockResponse prediction(String id, String status, String output, String error, String createdAt) {
        return new MockResponse.Builder().code(201).body("{\"id\":\"" + id + "\",\"status\":\"" + status + "\""
                + (output == null ? "" : ",\"output\":\"" + output + "\"")
                + (error == null ? "" : ",\"error\":\"" + error + "\"")
                + ",\"created_at\":\"" + createdAt + "\"}").build();
    }
}
