package imagine.worker;

import static com.amazonaws.services.lambda.runtime.tests.EventLoader.loadApiGatewayHttpEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.StorageKeys;
import imagine.core.testing.TestContext;
import imagine.worker.JobRecord.State;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Replicate's callbacks: only signed, fresh ones for a job's recorded prediction are acted on, and acting is handing
 * the job to a worker at once, which finishes it as it would after polling; nothing here waits, stores or sends.
 */
class CallbackHandlerTest {
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "a test signing key of 32 bytes!!".getBytes(StandardCharsets.UTF_8));
    private final WorkerFixture fixture = new WorkerFixture();
    private final Components components = fixture.callbacks();
    private final ReplicateSignature signature = new ReplicateSignature(SECRET);
    private final CallbackHandler handler = new CallbackHandler(signature, fixture.records, fixture.queue, fixture.clock);

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void thePrimingBeforeASnapshotHandsNothingToAWorker() {
        handler.prime();

        assertThat(fixture.queue.enqueued).isEmpty();
        assertThat(fixture.count("/sendPhoto")).isZero();
    }

    @Test
    void theWorkerCreatesThePredictionWithAWebhookRecordsItAndWaitsOnTheQueueNotInAnInvocation() throws Exception {
        Job job = fixture.job().build();

        JobRun.Outcome outcome = components.run().run(job, "m1", () -> 60_000);

        assertThat(outcome).isEqualTo(new JobRun.Waits(Duration.ofSeconds(120), "awaits its callback"));
        JsonNode body = Json.MAPPER.readTree(fixture.body("/predictions"));
        assertThat(fixture.find("/predictions").getHeaders().get("Prefer")).as("no waiting in the create call").isNull();
        assertThat(body.get("webhook").asText()).isEqualTo("https://bot.example/replicate?job=" + job.jobId());
        assertThat(body.get("webhook_events_filter").toString()).isEqualTo("[\"completed\"]");
        JobRecord record = fixture.record(job);
        assertThat(record.state()).isEqualTo(State.PREDICTING);
        assertThat(record.predictionId()).isEqualTo("p1");
        assertThat(record.attempt()).as("nobody holds it while it waits").isNull();
        assertThat(fixture.count("/predictions/p1")).as("not polled").isZero();
    }

    @Test
    void aSignedCallbackHandsTheJobToAWorkerWhichDeliversItAndTheCheckUpThenFindsItDone() throws Exception {
        Job job = fixture.job().build();
        components.run().run(job, "m1", () -> 60_000);

        APIGatewayV2HTTPResponse answer = callback(job, "msg_1", succeeded("p1"));

        assertThat(answer.getStatusCode()).isEqualTo(200);
        assertThat(fixture.queue.enqueued).singleElement()
                .isEqualTo(job.carriedFor("m1"));
        assertThat(fixture.count("/sendPhoto") + fixture.count("/out/p1.png")).as("the callback sends nothing").isZero();

        components.run().run(fixture.queue.enqueued.get(0), "wake-up-message", () -> 60_000);
        assertThat(fixture.count("/sendPhoto")).isEqualTo(1);
        assertThat(components.run().run(job, "m1", () -> 60_000)).as("the check-up").isInstanceOf(JobRun.Done.class);
        assertThat(callback(job, "msg_late", succeeded("p1")).getStatusCode()).as("late").isEqualTo(200);
        assertThat(fixture.count("/sendPhoto")).isEqualTo(1);
        assertThat(fixture.creates()).isEqualTo(1);
    }

    @Test
    void forgedStaleMalformedAndUnknownCallbacksAreRefusedAndChangeNothing() throws Exception {
        Job job = fixture.job().build();
        components.run().run(job, "m1", () -> 60_000);
        String body = succeeded("p1");
        long now = fixture.clock.instant().getEpochSecond();
        TestContext context = new TestContext();
        ReplicateSignature wrongKey = new ReplicateSignature("whsec_" + Base64.getEncoder().encodeToString(
                "another key entirely, 32 bytes!!".getBytes(StandardCharsets.UTF_8)));

        assertThat(handler.answer(event(job.jobId(), "msg_1", now, body, wrongKey), context).getStatusCode())
                .as("signed with another key").isEqualTo(401);
        assertThat(handler.answer(event(job.jobId(), "msg_1", now - 301, body, signature), context)
                .getStatusCode()).as("five minutes old").isEqualTo(401);
        assertThat(handler.answer(event(job.jobId(), "msg_1", now + 301, body, signature), context)
                .getStatusCode()).as("from the future").isEqualTo(401);
        APIGatewayV2HTTPEvent tampered = event(job.jobId(), "msg_1", now, body, signature);
        tampered.setBody(body.replace("p1.png", "p2.png"));
        assertThat(handler.answer(tampered, context).getStatusCode()).as("body changed").isEqualTo(401);
        APIGatewayV2HTTPEvent unsigned = event(job.jobId(), "msg_1", now, body, signature);
        unsigned.getHeaders().remove("webhook-signature");
        assertThat(handler.answer(unsigned, context).getStatusCode()).isEqualTo(401);
        assertThat(callback(job, "msg_2", "{not json").getStatusCode()).isEqualTo(400);
        assertThat(handler.answer(event("9-no-such-job", "msg_3", now, body, signature), context)
                .getStatusCode()).isEqualTo(404);
        assertThat(handler.answer(event("../../users/1", "msg_3", now, body, signature), context)
                .getStatusCode()).as("a job id that is no job id").isEqualTo(404);
        assertThat(callback(job, "msg_4", succeeded("p-other")).getStatusCode()).as("not the job's prediction")
                .isEqualTo(404);

        assertThat(fixture.queue.enqueued).isEmpty();
        assertThat(fixture.record(job).state()).isEqualTo(State.PREDICTING);
        assertThat(String.join("\n", context.logs())).contains("refused").doesNotContain(SECRET,
                SECRET.substring("whsec_".length()));
    }

    @Test
    void headerNamesAreReadWhateverTheirCase() throws Exception {
        Job job = fixture.job().build();
        components.run().run(job, "m1", () -> 60_000);
        APIGatewayV2HTTPEvent event = event(job.jobId(), "msg_1", fixture.clock.instant().getEpochSecond(),
                succeeded("p1"), signature);
        Map<String, String> capitalised = new HashMap<>();
        event.getHeaders().forEach((name, value) -> capitalised.put(
                name.substring(0, 1).toUpperCase() + name.substring(1), value));
        event.setHeaders(capitalised);

        assertThat(handler.answer(event, new TestContext()).getStatusCode()).isEqualTo(200);
        assertThat(fixture.queue.enqueued).hasSize(1);
    }

    @Test
    void theRecordedCallbackInEventsIsRefusedAsAReplay() {
        TestContext context = new TestContext();

        APIGatewayV2HTTPResponse response = handler.answer(loadApiGatewayHttpEvent("replicate-callback.json"),
                context);

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(context.logs()).anyMatch(line -> line.contains("5 minutes"));
        assertThat(fixture.requests).isEmpty();
    }

    @Test
    void aCallbackBeforeThePredictionIsRecordedIsAskedAgain() throws Exception {
        Job job = fixture.job().build();
        long now = fixture.clock.millis();
        fixture.records.create(StorageKeys.job(job.jobId()), JobRecord.claimed("m1", "creating-now", now, now + 1, job));

        assertThat(callback(job, "msg_1", succeeded("p1")).getStatusCode()).as("retried by Replicate").isEqualTo(409);
        assertThat(fixture.queue.enqueued).isEmpty();
    }

    @Test
    void aHandOverTheQueueRefusesIsAServerErrorSoReplicateTriesAgain() throws Exception {
        Job job = fixture.job().build();
        components.run().run(job, "m1", () -> 60_000);
        CallbackHandler refused = new CallbackHandler(signature, fixture.records, jobs -> {
            throw new IllegalStateException("SendMessageBatch failed");
        }, fixture.clock);

        assertThat(refused.answer(event(job.jobId(), "msg_1", fixture.clock.instant().getEpochSecond(),
                succeeded("p1"), signature), new TestContext()).getStatusCode()).isEqualTo(500);
    }

    @Test
    void aFailedPredictionsCallbackIsExplainedOnceByTheWorkerHowEverOftenItComes() throws Exception {
        Job job = fixture.job().build();
        components.run().run(job, "m1", () -> 60_000);
        String failed = "{\"id\":\"p1\",\"status\":\"failed\",\"error\":\"NSFW content detected.\"}";
        fixture.routes.put("/predictions/p1", request -> fixture.prediction("p1", "failed", null,
                "NSFW content detected."));

        callback(job, "msg_1", failed);
        callback(job, "msg_1", failed);
        for (Job wakeUp : List.copyOf(fixture.queue.enqueued)) {
            components.run().run(wakeUp, "wake", () -> 60_000);
        }

        assertThat(fixture.told()).singleElement().asString().contains("It flagged the prompt or the picture as unsafe");
        assertThat(fixture.record(job).state()).isEqualTo(State.ENDED);
    }

    private String succeeded(String id) {
        return "{\"id\":\"" + id + "\",\"status\":\"succeeded\",\"output\":[\"" + fixture.url("/out/p1.png")
                + "\"],\"created_at\":\"" + fixture.clock.instant() + "\"}";
    }

    private APIGatewayV2HTTPResponse callback(Job job, String webhookId, String body) {
        return handler.answer(event(job.jobId(), webhookId, fixture.clock.instant().getEpochSecond(), body,
                signature), new TestContext());
    }

    private static APIGatewayV2HTTPEvent event(String jobId, String webhookId, long timestamp, String body,
                                               ReplicateSignature signer) {
        String signed = Base64.getEncoder().encodeToString(signer.sign(webhookId, Long.toString(timestamp),
                body.getBytes(StandardCharsets.UTF_8)));
        Map<String, String> headers = new HashMap<>(Map.of("content-type", "application/json",
                "webhook-id", webhookId, "webhook-timestamp", Long.toString(timestamp),
                "webhook-signature", "v1," + signed));
        return APIGatewayV2HTTPEvent.builder().withRouteKey("POST /replicate").withRawPath("/replicate")
                .withQueryStringParameters(Map.of("job", jobId)).withHeaders(headers).withBody(body)
                .withIsBase64Encoded(false).build();
    }
}
