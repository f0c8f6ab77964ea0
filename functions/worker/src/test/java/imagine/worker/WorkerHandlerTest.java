package imagine.worker;

import static com.amazonaws.services.lambda.runtime.tests.EventLoader.loadSQSEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import imagine.core.Job;
import imagine.core.StorageKeys;
import imagine.core.Task;
import imagine.core.testing.TestContext;
import imagine.worker.JobRecord.State;
import imagine.worker.WorkerFixture.RecordingQueue.Waiting;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The jobs queue's consumer, driven by SQS events as Lambda delivers them: only failures come back as batch item
 * failures (which the redrive policy counts); a job that waits goes back as a new message that carries it on, so
 * waiting, however long, never sends a job to the dead-letter queue.
 */
class WorkerHandlerTest {
    private final WorkerFixture fixture = new WorkerFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void theImageJobEventIsDrawnAndSentAndReportsNoBatchItemFailure() {
        SQSEvent event = loadSQSEvent("sqs-job.json");
        TestContext context = new TestContext();

        SQSBatchResponse response = new WorkerHandler(fixture.polling()).handleRequest(event, context);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(fixture.body("/predictions")).contains("a red fox in the snow, watercolour");
        assertThat(fixture.body("/sendPhoto")).contains("1/1 · Ideogram v3 Turbo");
        assertThat(fixture.queue.waiting).isEmpty();
        assertThat(context.logs()).anyMatch(line -> line.contains("\"message\":\"run done\"")
                && line.contains("\"job_id\":\"500001-0-0\"") && line.contains("\"duration_ms\":"));
    }

    @Test
    void aJobAwaitingItsCallbackWaitsOnTheQueueAsANewMessageThatCarriesItNotAsAFailure() {
        Job job = fixture.job().build();
        TestContext context = new TestContext();

        SQSBatchResponse response = new WorkerHandler(fixture.callbacks())
                .handleRequest(WorkerFixture.event(Map.of("m1", job)), context);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(fixture.queue.waiting).containsExactly(
                new Waiting(job.carriedFor("m1").waitedOnceMore(), Duration.ofSeconds(120)));
        assertThat(fixture.queue.cameBack).isEmpty();
        assertThat(context.logs()).anyMatch(line -> line.contains("\"message\":\"waits on the queue\"")
                        && line.contains("\"wait_s\":120") && line.contains("\"reason\":\"awaits its callback\""))
                .noneMatch(line -> line.contains("failed"));
    }

    @Test
    void aFailedAttemptComesBackAsABatchItemFailureAfterItsBackoff() {
        Job job = fixture.job().build();
        fixture.routes.put("/predictions", request -> new MockResponse.Builder().code(500)
                .body("{\"detail\":\"oops\"}").build());
        TestContext context = new TestContext();

        SQSBatchResponse response = new WorkerHandler(fixture.polling())
                .handleRequest(WorkerFixture.event(Map.of("m1", job)), context);

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("m1");
        assertThat(fixture.queue.cameBack).singleElement().satisfies(back -> {
            assertThat(back.receiptHandle()).isEqualTo("receipt-m1");
            assertThat(back.after()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        });
        assertThat(context.logs()).anyMatch(line -> line.contains("\"level\":\"WARN\"")
                && line.contains("\"message\":\"run failed, tried again later\"") && line.contains("\"retry_in_s\":1"));
    }

    @Test
    void aJobThatWaitedTooOftenCountsAsFailingSoAWaitThatNeverEndsStillEnds() {
        Job job = fixture.job().waits(WorkerTimings.DEFAULTS.maxWaits()).build();

        SQSBatchResponse response = new WorkerHandler(fixture.callbacks())
                .handleRequest(WorkerFixture.event(Map.of("m1", job)), new TestContext());

        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(fixture.queue.waiting).isEmpty();
    }

    @Test
    void aMessageThatIsNoJobIsDroppedWithALogLine() {
        SQSEvent event = WorkerFixture.event(Map.of("m1", fixture.job().build()));
        event.getRecords().get(0).setBody("{\"task\":\"no-such-task\",\"job_id\":\"1-0-0\"}");
        TestContext context = new TestContext();

        assertThat(new WorkerHandler(fixture.polling()).handleRequest(event, context).getBatchItemFailures()).isEmpty();
        assertThat(context.logs()).anyMatch(line -> line.contains("\"message\":\"dropped a message that is not a job\""));
    }

    /**
     * A video in callback mode whose prediction takes longer than five check-ups (here a minute apart) but not its
     * 10-minute deadline: each check-up finds it running and waits again as a new message, and the video still
     * arrives. (With waits counted as receives, the redrive policy would have sent it to the dead-letter queue at the
     * fifth.) Time is a test clock: no real waiting.
     */
    @Test
    void aVideoThatOutlivesFiveCheckUpsStillArrivesAndNeverCountsAsAFailure() {
        Components components = fixture.components(new Predictions.CallbackMode("https://bot.example/replicate"),
                new WorkerTimings(Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(10), 100));
        WorkerHandler worker = new WorkerHandler(components);
        Job video = fixture.job().model("seedance").aspectRatio("16:9").prompt("waves at dusk").build();
        fixture.routes.put("/predictions/p1", request -> fixture.prediction("p1", "processing", null, null));
        fixture.routes.put("/out/p1.mp4", request -> new MockResponse.Builder().addHeader("Content-Type", "video/mp4")
                .body("mp4-bytes").build());

        Job message = video;
        String messageId = "m1";
        int checkUps = 0;
        while (true) {
            SQSBatchResponse response = worker.handleRequest(WorkerFixture.event(Map.of(messageId, message)),
                    new TestContext());
            assertThat(response.getBatchItemFailures()).as("waiting is not failing").isEmpty();
            if (fixture.count("/sendVideo") > 0) {
                break;
            }
            Waiting waiting = fixture.queue.waiting.get(fixture.queue.waiting.size() - 1);
            assertThat(waiting.after()).isEqualTo(Duration.ofMinutes(1));
            fixture.clock.advance(waiting.after());
            checkUps++;
            if (checkUps == 7) {
                fixture.routes.put("/predictions/p1", request -> fixture.prediction("p1", "succeeded",
                        fixture.url("/out/p1.mp4"), null));
            }
            message = waiting.job();
            messageId = "m" + (checkUps + 1);
        }

        assertThat(checkUps).isGreaterThan(5);
        assertThat(fixture.creates()).isEqualTo(1);
        assertThat(fixture.count("/predictions/p1/cancel")).as("well inside its 10-minute deadline").isZero();
        assertThat(fixture.queue.cameBack).isEmpty();
        assertThat(fixture.record(video).state()).isEqualTo(State.DELIVERED);
        assertThat(fixture.queue.waiting).extracting(w -> w.job().carrier()).containsOnly("m1");
        assertThat(List.copyOf(fixture.queue.waiting)).extracting(w -> w.job().waits())
                .containsExactly(1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void aForgetTaskDeletesWhatIsKeptAboutTheUserAndSaysSoOnceHoweverOftenItComes() throws Exception {
        Job someone = fixture.job().build();
        fixture.media.put(StorageKeys.settings(someone.userId()), "{}".getBytes(), "application/json");
        fixture.media.put(StorageKeys.media(someone.userId(), "1-0-0", ".png"), "png".getBytes(),
                "image/png");
        Job forget = someone.toBuilder().jobId(someone.updateId() + "-forget").task(Task.FORGET).build();
        WorkerHandler worker = new WorkerHandler(fixture.polling());

        worker.handleRequest(WorkerFixture.event(Map.of("m1", forget)), new TestContext());
        worker.handleRequest(WorkerFixture.event(Map.of("m1", forget)), new TestContext());

        assertThat(fixture.media.exists(StorageKeys.settings(someone.userId()))).isFalse();
        assertThat(fixture.media.exists(StorageKeys.media(someone.userId(), "1-0-0", ".png"))).isFalse();
        assertThat(fixture.told()).containsExactly("Done: I deleted everything I kept about you (2 files). What you"
                + " used today still counts until the day ends.");
    }
}
