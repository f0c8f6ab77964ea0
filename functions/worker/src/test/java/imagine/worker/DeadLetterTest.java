package imagine.worker;

import static com.amazonaws.services.lambda.runtime.tests.EventLoader.loadSQSEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import imagine.core.Job;
import imagine.core.StorageKeys;
import imagine.core.testing.LocalBucket;
import imagine.core.testing.TestContext;
import imagine.core.usage.DailyCounts;
import imagine.core.usage.Units;
import imagine.local.s3.S3Faults;
import imagine.worker.JobRecord.State;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Jobs that failed until the redrive limit end through the same lifecycle as in the worker: their prediction stopped
 * (also one that was made but not recorded), their unit given back, the user told once, and a job another run is
 * finishing left to it.
 */
class DeadLetterTest {
    private final WorkerFixture fixture = new WorkerFixture();
    private final Components components = fixture.polling();
    private final DeadLetterHandler deadLetters = new DeadLetterHandler(components);

    @AfterEach
    void stop() {
        fixture.close();
    }

    private SQSBatchResponse deadLetter(Job job) {
        return deadLetters.handleRequest(WorkerFixture.event(Map.of("m1", job)), new TestContext());
    }

    @Test
    void theDeadLetterEventIsExplainedInTheUsersLanguage() {
        SQSEvent event = loadSQSEvent("sqs-dead-letter.json");

        assertThat(deadLetters.handleRequest(event, new TestContext()).getBatchItemFailures()).isEmpty();

        assertThat(fixture.told()).singleElement().asString().startsWith("Извините, картинка 2/3")
                .contains("a lighthouse at dusk, oil painting");
    }

    @Test
    void aRunningPredictionIsStoppedTheUnitGoesBackAndTheUserIsToldOnceHoweverOftenTheLetterComes() throws Exception {
        Job job = fixture.counted(fixture.job().build());
        long now = fixture.clock.millis();
        fixture.records.create(StorageKeys.job(job.jobId()), JobRecord.claimed("m1", "run", now, now, job)
                .predicting("p1"));
        fixture.clock.advance(Duration.ofSeconds(1));

        deadLetter(job);
        deadLetter(job);

        assertThat(fixture.count("/predictions/p1/cancel")).isEqualTo(1);
        assertThat(fixture.told()).singleElement().asString().startsWith("Sorry, image 1/1 (\"a fox\") could not be made");
        assertThat(fixture.ledger.used(job.userId())).isEqualTo(Units.NONE);
        assertThat(fixture.record(job).state()).isEqualTo(State.ENDED);
    }

    @Test
    void aJobAnotherRunHoldsIsLeftToItAndTheLetterComesBackLater() throws Exception {
        Job job = fixture.counted(fixture.job().build());
        long now = fixture.clock.millis();
        fixture.records.create(StorageKeys.job(job.jobId()), JobRecord.claimed("m1", "delivering-run", now,
                now + 30_000, job).predicting("p1"));

        SQSBatchResponse response = deadLetter(job);

        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(fixture.count("/cancel") + fixture.count("/sendMessage")).isZero();
        assertThat(fixture.ledger.used(job.userId())).isEqualTo(new Units(1, 0));
    }

    @Test
    void aPredictionMadeButNeverRecordedIsFoundAndStoppedSoNothingRunsForAJobThatEnded() throws Exception {
        Job job = fixture.counted(fixture.job().build());
        Instant then = fixture.clock.instant();
        fixture.records.create(StorageKeys.job(job.jobId()), JobRecord.claimed("m1", "dead-run", then.toEpochMilli(),
                then.toEpochMilli(), job).creatingSince(then.toEpochMilli()));
        fixture.clock.advance(Duration.ofSeconds(1));
        String orphan = "{\"id\":\"orphan\",\"status\":\"processing\",\"created_at\":\"" + then.plusMillis(300)
                + "\",\"input\":{\"magic_prompt_option\":\"Auto\",\"prompt\":\"a fox\",\"aspect_ratio\":\"1:1\","
                + "\"seed\":" + ModelInputs.seed(job) + "}}";
        fixture.routes.put("/predictions", request -> new MockResponse.Builder()
                .body("{\"results\":[" + orphan + "],\"next\":null}").build());
        fixture.routes.put("/predictions/orphan/cancel", request -> fixture.prediction("orphan", "canceled", null,
                null));

        deadLetter(job);

        assertThat(fixture.count("/predictions/orphan/cancel")).isEqualTo(1);
        assertThat(fixture.told()).hasSize(1);
    }

    /**
     * Whether Telegram took a notice is known only to the run that sent it. When that run cannot record it, the next
     * letter sends it once more (a run killed while sending leaves the same record, and its user heard nothing), and
     * none after that, however often the letter comes.
     */
    @Test
    void aLetterWhoseEndingFailsAfterTheUserWasToldTellsThemAtMostOnceMore() throws Exception {
        Job job = fixture.counted(fixture.job().build());
        long now = fixture.clock.millis();
        fixture.records.create(StorageKeys.job(job.jobId()), JobRecord.claimed("m1", "run", now, now, job)
                .predicting("p1"));
        fixture.clock.advance(Duration.ofSeconds(1));
        // Telegram takes the message; then S3 refuses to record that it was sent, until the letter comes again.
        S3Faults faults = WorkerFixture.bucket().faults();
        fixture.routes.put("/sendMessage", request -> {
            faults.failNext(S3Faults.Operation.PUT, StorageKeys.job(job.jobId()), 100);
            return WorkerFixture.telegramOk(WorkerFixture.message(93));
        });

        for (int letter = 1; letter <= 2; letter++) {
            assertThat(deadLetter(job).getBatchItemFailures()).as("letter %d tried again", letter).hasSize(1);
            faults.clear();
            fixture.clock.advance(WorkerTimings.DEFAULTS.lease());
        }
        assertThat(deadLetter(job).getBatchItemFailures()).isEmpty();
        assertThat(deadLetter(job).getBatchItemFailures()).isEmpty();

        assertThat(fixture.told()).hasSize(2);
        assertThat(fixture.record(job).noticePending()).isFalse();
    }

    @Test
    void aLetterTriedAgainIsCountedOnceForStatsAsADeadLetterAndAFailureOfItsModel() throws Exception {
        DailyCounts counts = new DailyCounts(WorkerFixture.bucket().client(), LocalBucket.NAME, fixture.clock);
        DailyCounts.Counts before = counts.read(counts.today());
        Job job = fixture.counted(fixture.job().build());
        long now = fixture.clock.millis();
        fixture.records.create(StorageKeys.job(job.jobId()), JobRecord.claimed("m1", "run", now, now + 30_000, job)
                .predicting("p1"));
        SQSEvent event = WorkerFixture.event(Map.of("m1", job));
        // The receive count a message brings from the jobs queue, where it was received until the redrive limit.
        event.getRecords().get(0).setAttributes(Map.of("ApproximateReceiveCount", "1"));

        assertThat(deadLetters.handleRequest(event, new TestContext()).getBatchItemFailures())
                .as("another run holds the job: tried again").hasSize(1);
        fixture.clock.advance(Duration.ofMinutes(1));
        event.getRecords().get(0).setAttributes(Map.of("ApproximateReceiveCount", "2"));
        assertThat(deadLetters.handleRequest(event, new TestContext()).getBatchItemFailures()).isEmpty();

        DailyCounts.Counts after = counts.read(counts.today());
        assertThat(after.get("dead_letters") - before.get("dead_letters")).isEqualTo(1);
        assertThat(after.get("failed.ideogram") - before.get("failed.ideogram")).isEqualTo(1);
    }

    /** SQS moves a message to the dead-letter queue with the receive count it reached in the jobs queue. */
    @Test
    void aLetterBringingTheJobsQueuesReceiveCountIsStillTriedAgainOnItsFirstFailure() {
        Job job = fixture.counted(fixture.job().build());
        fixture.routes.put("/sendMessage", request -> WorkerFixture.telegramError(500, "Internal Server Error"));
        SQSEvent event = WorkerFixture.event(Map.of("m1", job));
        event.getRecords().get(0).setAttributes(Map.of("ApproximateReceiveCount",
                Integer.toString(DeadLetterHandler.JOBS_QUEUE_MAX_RECEIVES + 1)));

        assertThat(deadLetters.handleRequest(event, new TestContext()).getBatchItemFailures())
                .as("its first try here failed: tried again").hasSize(1);

        event.getRecords().get(0).setAttributes(Map.of("ApproximateReceiveCount",
                Integer.toString(DeadLetterHandler.JOBS_QUEUE_MAX_RECEIVES + DeadLetterHandler.MAX_RECEIVES)));
        assertThat(deadLetters.handleRequest(event, new TestContext()).getBatchItemFailures())
                .as("its last try here: dropped").isEmpty();
    }

    @Test
    void aLetterThatKeepsFailingIsDroppedAfterAFewTriesInsteadOfForDays() {
        Job job = fixture.counted(fixture.job().build());
        fixture.routes.put("/sendMessage", request -> WorkerFixture.telegramError(500, "Internal Server Error"));
        SQSEvent event = WorkerFixture.event(Map.of("m1", job));
        event.getRecords().get(0).setAttributes(Map.of("ApproximateReceiveCount",
                Integer.toString(DeadLetterHandler.MAX_RECEIVES)));
        TestContext context = new TestContext();

        assertThat(deadLetters.handleRequest(event, context).getBatchItemFailures()).isEmpty();
        assertThat(context.logs()).anyMatch(line -> line.contains("\"level\":\"ERROR\"")
                && line.contains("\"message\":\"dead letter dropped after its tries\"") && line.contains("\"tries\":3"));
    }
}
