package imagine.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import imagine.core.BlockedTerms;
import imagine.core.Cancellations;
import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.Task;
import imagine.core.testing.TestContext;
import imagine.core.usage.UsageLedger;
import imagine.worker.JobRecord.State;
import imagine.worker.replicate.ReplicateClient;
import imagine.worker.telegram.TelegramClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
import org.junit.jupiter.api.Test;

/**
 * A planning job ({@code /idea}, {@code /write}) through its record in a real S3-compatible store, with the
 * text model and Telegram answering over HTTP from a scripted server: one text prediction whatever the
 * redeliveries, the images enqueued once, blocked prompts skipped and told, refusals explained.
 */
class PlanningJobTest {
    private static final String TEXT_MODEL_PATH = "/v1/models/meta/meta-llama-3-8b-instruct/predictions";
    private static S3Stub s3;
    private final MockWebServer remote = new MockWebServer();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Function<RecordedRequest, MockResponse>> routes = new ConcurrentHashMap<>();
    private final List<List<Job>> enqueued = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private JobStore store;

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
        store = new JobStore(s3.client(), S3Stub.BUCKET);
        routes.put("/sendChatAction", request -> telegramOk("true"));
        routes.put("/sendMessage", request -> telegramOk("{\"message_id\":91,\"chat\":{\"id\":1,\"type\":\"private\"}}"));
        routes.put("/predictions", request -> request.getMethod().equals("GET")
                ? new MockResponse.Builder().body("{\"results\":[]}").build()
                : textPrediction("t1", "processing", null));
    }

    @AfterEach
    void stop() {
        remote.close();
    }

    private JobRunner runner(BlockedTerms blocked) {
        OkHttpClient http = new OkHttpClient();
        TelegramClient telegram = new TelegramClient(http, remote.url("/telegram").toString(), "0000:test-token");
        Delivery delivery = new Delivery(telegram, ChatPacer.NONE, millis -> { });
        MediaStore media = new MediaStore(s3.client(), S3Stub.BUCKET);
        QuotaRefunds refunds = new QuotaRefunds(new UsageLedger(s3.client(), S3Stub.BUCKET, Clock.systemUTC()),
                Catalog.load());
        ReplicateClient replicate = new ReplicateClient(http, remote.url("/").toString(), "test-replicate-token");
        Completion completion = new Completion(store, media, replicate, delivery,
                new PlanningResults(store, enqueued::add, delivery, blocked, refunds), refunds,
                new Cancellations(s3.client(), S3Stub.BUCKET), new Albums(s3.client(), S3Stub.BUCKET, media, delivery),
                Catalog.load(), Clock.systemUTC());
        return new JobRunner(store, replicate, completion, new PhotoInputs(telegram, media), delivery, Catalog.load(),
                Clock.systemUTC(), millis -> { }, null);
    }

    private Job idea(String language, String idea, int count) {
        return Job.builder().jobId("idea-" + System.nanoTime() + "-" + ids.incrementAndGet()).replyingTo(1, 10).user(1, language).prompt(idea).model("seedream").aspectRatio("16:9").position(1, count).task(Task.IDEA).build();
    }

    private Job write(String request) {
        return Job.builder().jobId("write-" + System.nanoTime() + "-" + ids.incrementAndGet()).replyingTo(1, 10).user(1, "en").prompt(request).model(null).aspectRatio(null).position(1, 1).task(Task.WRITE).build();
    }

    @Test
    void anIdeaAsksTheTextModelOnceInTheUsersLanguageAndEnqueuesOneCaptionedImageJobPerPrompt() throws Exception {
        answers("1. a lighthouse in a storm, oil painting\n2. a lighthouse at dawn, watercolour\n"
                + "3. a lighthouse under the stars");
        Job job = idea("ru", "маяк", 3);

        runner(BlockedTerms.NONE).run(job, "m1", () -> 60_000);

        RecordedRequest create = creates().get(0);
        assertThat(create.getUrl().encodedPath()).isEqualTo(TEXT_MODEL_PATH);
        JsonNode input = Json.MAPPER.readTree(create.getBody().string(StandardCharsets.UTF_8)).get("input");
        assertThat(input.get("prompt").asText()).isEqualTo("маяк");
        assertThat(input.get("system_prompt").asText())
                .contains("exactly 3 different image prompts, one per line", "in Russian", TextInstructions.REFUSAL_MARKER);
        assertThat(input.get("max_tokens").asInt()).isPositive();
        assertThat(count("/sendChatAction")).isEqualTo(1);
        assertThat(enqueued).singleElement().satisfies(images -> assertThat(images)
                .extracting(Job::jobId, Job::prompt, Job::position, Job::total, Job::model, Job::aspectRatio, Job::task)
                .containsExactly(
                        tuple(job.jobId() + "-0", "a lighthouse in a storm, oil painting",
                                1, 3, "seedream", "16:9", Task.IMAGE),
                        tuple(job.jobId() + "-1", "a lighthouse at dawn, watercolour",
                                2, 3, "seedream", "16:9", Task.IMAGE),
                        tuple(job.jobId() + "-2", "a lighthouse under the stars",
                                3, 3, "seedream", "16:9", Task.IMAGE)));
        assertThat(enqueued.get(0)).allSatisfy(image -> {
            assertThat(image.chatId()).isEqualTo(1);
            assertThat(image.replyTo()).isEqualTo(10);
            assertThat(image.language()).isEqualTo("ru");
        });
        assertThat(count("/sendMessage")).isZero();
        assertThat(store.load(job.jobId()).orElseThrow().record().state()).isEqualTo(State.DELIVERED);
    }

    @Test
    void aRedeliveredOrDuplicatedPlanningJobPaysForOneTextPredictionAndEnqueuesTheImagesOnce() throws Exception {
        routes.put("/predictions/t1", request -> textPrediction("t1", "processing", null));
        Job job = idea("en", "a lighthouse", 2);
        JobRunner runner = runner(BlockedTerms.NONE);
        assertThatThrownBy(() -> runner.run(job, "m1", () -> 10_500)).isInstanceOf(RetryLater.class);
        assertThat(runner.run(job, "m2", () -> 60_000)).isEqualTo(JobRunner.Outcome.DUPLICATE);
        assertThat(enqueued).isEmpty();

        answers("a lighthouse in a storm\na lighthouse at dawn");
        runner.run(job, "m1", () -> 60_000);
        runner.run(job, "m1", () -> 60_000);
        assertThat(runner.run(job, "m2", () -> 60_000)).isEqualTo(JobRunner.Outcome.DUPLICATE);

        assertThat(creates()).hasSize(1);
        assertThat(enqueued).hasSize(1);
        assertThat(enqueued.get(0)).extracting(Job::jobId).containsExactly(job.jobId() + "-0", job.jobId() + "-1");
        assertThat(store.load(job.jobId()).orElseThrow().record().predictionId()).isEqualTo("t1");
    }

    @Test
    void aRunThatDiedAfterTheFanOutOnlyFinishesTellingTheUser() throws Exception {
        answers("a lighthouse in a storm\na lighthouse in gore");
        Job job = idea("en", "a lighthouse", 2);
        store.create(job.jobId(), new JobRecord(State.FANNED_OUT, "m1", "dead-attempt", 1, "t1", null, null, job));

        runner(BlockedTerms.parse("gore")).run(job, "m1", () -> 60_000);

        assertThat(creates()).isEmpty();
        assertThat(enqueued).isEmpty();
        assertThat(count("/sendMessage")).isEqualTo(1);
        assertThat(store.load(job.jobId()).orElseThrow().record().state()).isEqualTo(State.DELIVERED);
    }

    @Test
    void aGeneratedPromptWithABlockedTermIsSkippedAndToldWhileTheOthersAreDrawn() throws Exception {
        answers("Here are 3 prompts:\n- a knight at dawn\n- a battlefield full of Gore, oil painting\n- a knight's horse");
        Job job = idea("en", "a knight", 3);

        runner(BlockedTerms.parse("gore, severed head")).run(job, "m1", () -> 60_000);

        assertThat(enqueued).singleElement().satisfies(images -> assertThat(images).extracting(Job::prompt)
                .containsExactly("a knight at dawn", "a knight's horse"));
        assertThat(enqueued.get(0)).extracting(Job::total).containsOnly(2);
        assertThat(messageText(body(find("/sendMessage")))).contains("Not drawn, because these prompts contain words this bot does"
                + " not draw:\n• a battlefield full of Gore, oil painting (\"gore\")");
        assertThat(store.load(job.jobId()).orElseThrow().record().state()).isEqualTo(State.DELIVERED);
    }

    @Test
    void anIdeaTheTextModelRefusesGetsAClearMessageAndNoImages() throws Exception {
        answers(TextInstructions.REFUSAL_MARKER);
        Job job = idea("en", "something dubious", 4);

        runner(BlockedTerms.NONE).run(job, "m1", () -> 60_000);
        runner(BlockedTerms.NONE).run(job, "m1", () -> 60_000);

        assertThat(enqueued).isEmpty();
        assertThat(count("/sendMessage")).isEqualTo(1);
        assertThat(messageText(body(find("/sendMessage")))).contains("The text model declined the idea \"something dubious\","
                + " so there are no pictures.");
        assertThat(store.load(job.jobId()).orElseThrow().record().state()).isEqualTo(State.ENDED);
    }

    @Test
    void aTextModelThatFailsIsExplainedAsWritingNotAsAnImage() throws Exception {
        routes.put("/predictions/t1", request -> textPrediction("t1", "failed", null, "NSFW content detected."));

        runner(BlockedTerms.NONE).run(write("a rude poem"), "m1", () -> 60_000);

        assertThat(messageText(body(find("/sendMessage")))).contains("I could not write for \"a rude poem\": the text model"
                + " refused. It flagged the prompt or the picture as unsafe");
    }

    @Test
    void aLongTextIsSentAsSeveralMessagesInOrderEachWithinTelegramsLimit() throws Exception {
        List<String> paragraphs = new ArrayList<>();
        for (int p = 0; p < 30; p++) {
            paragraphs.add("Paragraph " + p + ". " + "Coffee is brewed slowly here. ".repeat(12).strip());
        }
        String text = String.join("\n\n", paragraphs);
        answers(text);
        Job job = write("a long post about our coffee shop");

        runner(BlockedTerms.NONE).run(job, "m1", () -> 60_000);

        List<String> messages = requests.stream().filter(r -> r.getUrl().encodedPath().endsWith("/sendMessage"))
                .map(r -> messageText(body(r))).toList();
        assertThat(messages).hasSizeGreaterThan(2).allSatisfy(message -> assertThat(message.length())
                .isLessThanOrEqualTo(4096));
        assertThat(messages.get(0)).startsWith("Paragraph 0.");
        assertThat(String.join("\n\n", messages)).isEqualTo(text);
        assertThat(store.load(job.jobId()).orElseThrow().record().state()).isEqualTo(State.DELIVERED);
    }

    @Test
    void aWriteRequestTheTextModelRefusesIsExplained() throws Exception {
        answers(" " + TextInstructions.REFUSAL_MARKER + "\n");

        runner(BlockedTerms.NONE).run(write("something dubious"), "m1", () -> 60_000);

        assertThat(count("/sendMessage")).isEqualTo(1);
        assertThat(messageText(body(find("/sendMessage")))).contains("The text model declined to write \"something dubious\".");
    }

    @Test
    void aPlanningJobThatUsedUpItsRetriesIsExplainedAsWritingUnlessItsImagesAreOnTheirWay() throws Exception {
        Job failed = write("a post about owls");
        Job fannedOut = idea("en", "a lighthouse", 2);
        store.create(fannedOut.jobId(), new JobRecord(State.FANNED_OUT, "m2", "attempt", 1, "t1", null, null, fannedOut));
        OkHttpClient http = new OkHttpClient();
        Delivery delivery = new Delivery(new TelegramClient(http, remote.url("/telegram").toString(),
                "0000:test-token"), ChatPacer.NONE, millis -> { });
        DeadLetterHandler deadLetters = new DeadLetterHandler(delivery, store,
                new ReplicateClient(http, remote.url("/").toString(), "test-replicate-token"), new Failures(1),
                new QuotaRefunds(new UsageLedger(s3.client(), S3Stub.BUCKET, Clock.systemUTC()), Catalog.load()),
                Catalog.load(), new Albums(s3.client(), S3Stub.BUCKET, s3.media(), delivery));

        deadLetters.handleRequest(deadLetters(Map.of("m1", failed, "m2", fannedOut)), new TestContext());

        assertThat(count("/sendMessage")).isEqualTo(1);
        assertThat(messageText(body(find("/sendMessage")))).isEqualTo("Sorry, I could not write for \"a post about"
                + " owls\": the text model or Telegram kept failing. Please send it again a bit later.");
        assertThat(store.load(fannedOut.jobId()).orElseThrow().record().state()).isEqualTo(State.FANNED_OUT);
    }

    private static SQSEvent deadLetters(Map<String, Job> jobs)
            throws IOException {
        List<SQSMessage> messages = new ArrayList<>();
        for (Map.Entry<String, Job> job : new TreeMap<>(jobs).entrySet()) {
            var message = new SQSMessage();
            message.setMessageId(job.getKey());
            message.setBody(Json.MAPPER.writeValueAsString(job.getValue()));
            messages.add(message);
        }
        var event = new SQSEvent();
        event.setRecords(messages);
        return event;
    }

    /** The text model's answer, streamed as pieces the way Replicate's language models return it. */
    private void answers(String text) {
        List<String> pieces = List.of(text.split("(?<= )"));
        routes.put("/predictions/t1", request -> textPrediction("t1", "succeeded", pieces));
    }

    private List<RecordedRequest> creates() {
        return requests.stream().filter(r -> r.getMethod().equals("POST")
                && r.getUrl().encodedPath().endsWith("/predictions")).toList();
    }

    private long count(String pathEnd) {
        return requests.stream().filter(r -> r.getUrl().encodedPath().endsWith(pathEnd)).count();
    }

    private RecordedRequest find(String pathEnd) {
        return requests.stream().filter(r -> r.getUrl().encodedPath().endsWith(pathEnd)).findFirst().orElseThrow();
    }

    private static String body(RecordedRequest request) {
        return request.getBody().string(StandardCharsets.UTF_8);
    }

    private static String messageText(String sendMessageBody) {
        try {
            return Json.MAPPER.readTree(sendMessageBody).get("text").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MockResponse telegramOk(String result) {
        return new MockResponse.Builder().body("{\"ok\":true,\"result\":" + result + "}").build();
    }

    private static MockResponse textPrediction(String id, String status, List<String> output) {
        return textPrediction(id, status, output, null);
    }

    private static MockResponse textPrediction(String id, String status, List<String> output, String error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("model", "meta/meta-llama-3-8b-instruct");
        body.put("status", status);
        body.put("output", output);
        body.put("error", error);
        body.put("created_at", Instant.now().toString());
        try {
            return new MockResponse.Builder().code(201).body(Json.MAPPER.writeValueAsString(body)).build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
