package imagine.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import imagine.core.Job;
import imagine.core.StorageKeys;
import imagine.local.s3.S3Faults;
import imagine.local.s3.S3Requests;
import imagine.worker.JobRecord.State;
import imagine.worker.telegram.TelegramException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A job's trip through its record: claimed, created once, awaited, stored, delivered, however often its message is
 * received, by however many runs at once, and wherever an earlier run died.
 */
class JobLifecycleTest {
    private final WorkerFixture fixture = new WorkerFixture();
    private final JobRun run = fixture.polling().run();

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aJobGoesFromPromptToPhotoThroughEveryStageRecorded() throws Exception {
        Job job = fixture.job().build();

        assertThat(run.run(job, "m1", () -> 60_000)).isInstanceOf(JobRun.Done.class);

        assertThat(fixture.creates()).isEqualTo(1);
        assertThat(fixture.find("/predictions").getUrl().encodedPath())
                .isEqualTo("/v1/models/ideogram-ai/ideogram-v3-turbo/predictions");
        assertThat(fixture.find("/predictions").getHeaders().get("Prefer")).isEqualTo("wait=1");
        assertThat(fixture.find("/predictions").getHeaders().get("Cancel-After")).as("the deadline, told to Replicate")
                .isEqualTo("10m");
        assertThat(fixture.body("/predictions")).contains("\"prompt\":\"a fox\"", "\"aspect_ratio\":\"1:1\"",
                "\"seed\":" + ModelInputs.seed(job));
        assertThat(fixture.body("/sendPhoto")).contains("png-bytes", "1/1 · Ideogram v3 Turbo");
        JobRecord record = fixture.record(job);
        assertThat(record.state()).isEqualTo(State.DELIVERED);
        assertThat(record.attempt()).as("released").isNull();
        assertThat(fixture.media.exists(StorageKeys.media(job.userId(), job.jobId(), ".png"))).isTrue();
        assertThat(fixture.media.exists(StorageKeys.running(job.userId(), job.jobId())))
                .as("no longer among the user's running predictions").isFalse();
    }

    @Test
    void aRunThatDiesAfterStoringResumesAtDeliveryWithoutANewPrediction() throws Exception {
        Job job = fixture.job().build();
        fixture.routes.put("/sendPhoto", request -> WorkerFixture.telegramError(502, "Bad Gateway"));
        assertThatThrownBy(() -> run.run(job, "m1", () -> 60_000)).isInstanceOf(TelegramException.class);
        assertThat(fixture.record(job).state()).isEqualTo(State.STORED);

        fixture.routes.put("/sendPhoto", request -> WorkerFixture.telegramOk(WorkerFixture.message(90)));
        run.run(job, "m1", () -> 60_000);

        assertThat(fixture.creates()).isEqualTo(1);
        assertThat(fixture.count("/out/p1.png")).as("the stored copy is sent, not downloaded again").isEqualTo(1);
        assertThat(fixture.count("/sendPhoto")).isEqualTo(2);
        assertThat(fixture.record(job).state()).isEqualTo(State.DELIVERED);
    }

    @Test
    void aRunOutOfTimeWhileThePredictionRunsLeavesItToTheNextRunWhichResumesItByItsRecordedId() throws Exception {
        Job job = fixture.job().build();
        fixture.routes.put("/predictions/p1", request -> fixture.prediction("p1", "processing", null, null));
        assertThatThrownBy(() -> run.run(job, "m1", () -> 10_500)).isInstanceOf(RetryLater.class);
        assertThat(fixture.record(job).predictionId()).isEqualTo("p1");

        fixture.routes.put("/predictions/p1", request -> fixture.prediction("p1", "succeeded",
                fixture.url("/out/p1.png"), null));
        fixture.clock.advance(WorkerTimings.DEFAULTS.lease());
        run.run(job, "m1", () -> 60_000);

        assertThat(fixture.creates()).isEqualTo(1);
        assertThat(fixture.count("/sendPhoto")).isEqualTo(1);
    }

    @Test
    void anotherMessageWithTheSameJobIsADuplicateAndDoesNothing() throws Exception {
        Job job = fixture.job().build();
        run.run(job, "m1", () -> 60_000);
        int before = fixture.requests.size();

        assertThat(run.run(job, "m2", () -> 60_000)).isInstanceOf(JobRun.Duplicate.class);
        assertThat(run.run(job, "m1", () -> 60_000)).isInstanceOf(JobRun.Done.class);
        assertThat(run.run(job.carriedFor("m1"), "m1", () -> 60_000)).isInstanceOf(JobRun.Done.class);
        assertThat(fixture.requests).hasSize(before);
    }

    @Test
    void aJobWokenByItsCallbackTakesItsRecordBackWithOneReadAndOneWrite() throws Exception {
        Components components = fixture.callbacks();
        Job job = fixture.job().build();
        fixture.routes.put("/predictions/p1", request -> fixture.prediction("p1", "processing", null, null));
        assertThat(components.run().run(job, "m1", () -> 60_000)).isInstanceOf(JobRun.Waits.class);
        S3Requests.Counts before = WorkerFixture.bucket().requests();

        Jobs.Claim claim = components.jobs().claim(job.carriedFor("m1"), "m1");

        assertThat(claim).isInstanceOf(Jobs.Taken.class);
        S3Requests.Counts claiming = WorkerFixture.bucket().requests().minus(before);
        assertThat(claiming.of("GetObject", "jobs")).as(claiming.toString()).isEqualTo(1);
        assertThat(claiming.of("PutObject", "jobs")).as(claiming.toString()).isEqualTo(1);
        assertThat(claiming.total()).as(claiming.toString()).isEqualTo(2);
    }

    @Test
    void aFirstMessageDeliveredAgainAfterAFailedRunTakesItsRecordBackWithOneRead() throws Exception {
        Job job = fixture.job().build();
        fixture.routes.put("/sendPhoto", request -> WorkerFixture.telegramError(502, "Bad Gateway"));
        assertThatThrownBy(() -> run.run(job, "m1", () -> 60_000)).isInstanceOf(TelegramException.class);
        S3Requests.Counts before = WorkerFixture.bucket().requests();

        Jobs.Claim claim = fixture.polling().jobs().claim(job, "m1");

        assertThat(claim).isInstanceOf(Jobs.Taken.class);
        S3Requests.Counts claiming = WorkerFixture.bucket().requests().minus(before);
        assertThat(claiming.of("PutObject", "jobs")).as("the refused create, then the lease: " + claiming)
                .isEqualTo(2);
        assertThat(claiming.of("GetObject", "jobs")).as(claiming.toString()).isEqualTo(1);
        assertThat(claiming.total()).as(claiming.toString()).isEqualTo(3);
    }

    @Test
    void aSecondRunWhileTheFirstHoldsTheLeaseWaitsUntilTheLeaseEnds() throws Exception {
        Job job = fixture.job().build();
        long now = fixture.clock.millis();
        fixture.records.create(StorageKeys.job(job.jobId()),
                JobRecord.claimed("m1", "another-run", now, now + 30_000, job));

        JobRun.Outcome outcome = run.run(job, "m1", () -> 60_000);

        assertThat(outcome).isInstanceOfSatisfying(JobRun.Waits.class,
                waits -> assertThat(waits.after()).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(31)));
        assertThat(fixture.creates()).isZero();
    }

    @Test
    void aLeaseLeftByARunThatDiedIsTakenOverOnceItRunsOut() throws Exception {
        Job job = fixture.job().build();
        long now = fixture.clock.millis();
        fixture.records.create(StorageKeys.job(job.jobId()),
                JobRecord.claimed("m1", "dead-run", now, now + 30_000, job));
        fixture.clock.advance(Duration.ofSeconds(31));

        run.run(job, "m1", () -> 60_000);

        assertThat(fixture.count("/sendPhoto")).isEqualTo(1);
        assertThat(fixture.record(job).state()).isEqualTo(State.DELIVERED);
    }

    /**
     * A run killed while it told the user why their job ended leaves no sign whether Telegram took the message. The
     * next run sends it again: the user hears twice rather than never.
     */
    @Test
    void aNoticeWhoseSenderDiedIsSentAgainByTheNextRun() throws Exception {
        Job job = fixture.job().build();
        long now = fixture.clock.millis();
        fixture.records.create(StorageKeys.job(job.jobId()), JobRecord.claimed("m1", "dead-run", now, now + 30_000, job)
                .predicting("p1").ended(new Ending(Ending.Reason.FAILED, false, "image 1/1 could not be made"))
                .sendingNotice());
        fixture.clock.advance(Duration.ofSeconds(31));

        assertThat(run.run(job, "m1", () -> 60_000)).isInstanceOf(JobRun.Done.class);

        assertThat(fixture.told()).containsExactly("image 1/1 could not be made");
        assertThat(fixture.record(job).isFinished()).isTrue();
    }

    /**
     * Everything before the create call (the chat's status, fetching the photo, looking for an orphan) may outlast
     * the lease. A second receive of the message then takes the job over; the first run, whose lease is renewed only
     * by a write that finds the record as it left it, learns so before it creates, and creates nothing.
     */
    @Test
    void aRunSlowedBeforeItsCreateCallCannotCreateASecondPredictionAfterAnotherRunTookTheJobOver() throws Exception {
        Job job = fixture.job().build();
        AtomicBoolean slowOnce = new AtomicBoolean(true);
        fixture.routes.put("/sendChatAction", request -> {
            if (slowOnce.getAndSet(false)) {
                // Telegram answers after the lease has run out, and meanwhile the message is received again.
                fixture.clock.advance(WorkerTimings.DEFAULTS.lease().plusSeconds(1));
                catchThrowable(() -> run.run(job, "m1", () -> 60_000));
            }
            return WorkerFixture.telegramOk("true");
        });

        assertThatThrownBy(() -> run.run(job, "m1", () -> 60_000))
                .as("the first run learns the job was taken over").isInstanceOf(RetryLater.class);

        assertThat(fixture.creates()).isEqualTo(1);
        assertThat(fixture.count("/sendPhoto")).isEqualTo(1);
        assertThat(fixture.record(job).state()).isEqualTo(State.DELIVERED);
    }

    @Test
    void aRunSlowedByS3CannotCreateASecondPredictionEither() throws Exception {
        Job edit = fixture.job().model("kontext").aspectRatio("match_input_image").prompt("make it blue")
                .photoFileId("photo-1").build();
        fixture.routes.put("/getFile", request -> WorkerFixture.telegramOk(
                "{\"file_id\":\"photo-1\",\"file_size\":9,\"file_path\":\"photos/1.jpg\"}"));
        fixture.routes.put("/photos/1.jpg", request -> new MockResponse.Builder().body("jpeg-bytes").build());
        S3Faults faults = WorkerFixture.bucket().faults();
        faults.slowNext(S3Faults.Operation.PUT, StorageKeys.input(edit.userId(), edit.jobId()), 1,
                Duration.ofSeconds(2));

        CompletableFuture<Throwable> first = CompletableFuture.supplyAsync(
                () -> catchThrowable(() -> run.run(edit, "m1", () -> 60_000)));
        // While S3 keeps the first run's copy of the photo waiting, its lease runs out and the message comes again.
        await().atMost(Duration.ofSeconds(10)).until(faults::allHappened);
        fixture.clock.advance(WorkerTimings.DEFAULTS.lease().plusSeconds(1));
        run.run(edit, "m1", () -> 60_000);

        assertThat(first.get(10, TimeUnit.SECONDS)).as("the first run learns the job was taken over")
                .isInstanceOf(RetryLater.class);
        assertThat(fixture.creates()).isEqualTo(1);
        assertThat(fixture.record(edit).state()).isEqualTo(State.DELIVERED);
    }
}
