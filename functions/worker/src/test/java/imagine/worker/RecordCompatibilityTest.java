package imagine.worker;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.core.Job;
import imagine.core.Json;
import imagine.core.StorageKeys;
import imagine.core.Task;
import imagine.core.testing.LocalBucket;
import imagine.worker.JobRecord.State;
import java.time.Duration;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Nothing in flight breaks when this version is deployed: queue messages (kept a day, dead letters 14 days) and job
 * records (kept 7 days) written by the version before it still read as the same jobs and carry on where they stood.
 * The records here are written exactly as that version wrote them.
 */
class RecordCompatibilityTest {
    private final WorkerFixture fixture = new WorkerFixture();
    private final JobRun run = fixture.polling().run();

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** A record as the previous version wrote it: no lease end, no create time, no ending, no write token. */
    private void storedByThePreviousVersion(Job job, String state, String attempt, long claimedAt, String predictionId,
                                            String mediaKey) throws Exception {
        String jobJson = Json.MAPPER.writeValueAsString(Json.MAPPER.readTree(
                "{\"job_id\":\"" + job.jobId() + "\",\"chat_id\":" + job.chatId() + ",\"reply_to\":10,\"user_id\":"
                        + job.userId() + ",\"language\":\"en\",\"prompt\":\"a fox\",\"model\":\"ideogram\","
                        + "\"aspect_ratio\":\"1:1\",\"position\":1,\"total\":1,\"as_file\":false,\"album_size\":0}"));
        String record = "{\"state\":\"" + state + "\",\"owner\":\"m1\""
                + (attempt == null ? "" : ",\"attempt\":\"" + attempt + "\"") + ",\"claimed_at\":" + claimedAt
                + (predictionId == null ? "" : ",\"prediction_id\":\"" + predictionId + "\"")
                + (mediaKey == null ? "" : ",\"media_key\":\"" + mediaKey + "\",\"media_type\":\"image/png\"")
                + ",\"job\":" + jobJson + "}";
        WorkerFixture.bucket().client().putObject(b -> b.bucket(LocalBucket.NAME).key(StorageKeys.job(job.jobId())),
                RequestBody.fromString(record));
    }

    @Test
    void aMessageOfThePreviousVersionIsAnImageJobOwnedByItsOwnMessage() throws Exception {
        Job job = Json.MAPPER.readValue("{\"job_id\":\"500001-0-0\",\"chat_id\":1001,\"reply_to\":11,\"user_id\":1001,"
                + "\"language\":\"en\",\"prompt\":\"a fox\",\"model\":\"ideogram\",\"aspect_ratio\":\"1:1\","
                + "\"position\":1,\"total\":1}", Job.class);

        assertThat(job.task()).isEqualTo(Task.IMAGE);
        assertThat(job.carrier()).isNull();
        assertThat(job.ownerIn("message-1")).isEqualTo("message-1");
        assertThat(job.waits()).isZero();
        assertThat(Json.MAPPER.readValue("{\"job_id\":\"5-full\",\"task\":\"full\"}", Job.class).task())
                .isEqualTo(Task.FULL_SIZE);
    }

    @Test
    void aJobACallbackOfThePreviousVersionWasFinishingIsLeftToItUntilItsHoldRunsOut() throws Exception {
        Job job = fixture.job().build();
        storedByThePreviousVersion(job, "PREDICTING", "callback:msg_1", fixture.clock.millis(), "p1", null);

        assertThat(run.run(job, "m1", () -> 60_000)).isInstanceOf(JobRun.Waits.class);
        assertThat(fixture.count("/sendPhoto")).isZero();

        fixture.clock.advance(JobRecord.LEGACY_HOLD.plusSeconds(1));
        run.run(job, "m1", () -> 60_000);

        assertThat(fixture.count("/sendPhoto")).isEqualTo(1);
        assertThat(fixture.creates()).isZero();
    }

    @Test
    void aClaimOfThePreviousVersionThatDiedIsTakenOverAndItsOrphanLookedForSinceItWasTaken() throws Exception {
        Job job = fixture.job().build();
        long claimedAt = fixture.clock.millis();
        storedByThePreviousVersion(job, "CLAIMED", "dead-attempt", claimedAt, null, null);
        String orphan = "{\"id\":\"p1\",\"status\":\"processing\",\"created_at\":\""
                + fixture.clock.instant().plusMillis(100) + "\",\"input\":{\"magic_prompt_option\":\"Auto\","
                + "\"prompt\":\"a fox\",\"aspect_ratio\":\"1:1\",\"seed\":" + ModelInputs.seed(job) + "}}";
        fixture.routes.put("/predictions", request -> new MockResponse.Builder()
                .body("{\"results\":[" + orphan + "],\"next\":null}").build());
        fixture.clock.advance(JobRecord.LEGACY_HOLD.plusSeconds(1));

        run.run(job, "m1", () -> 60_000);

        assertThat(fixture.creates()).isZero();
        assertThat(fixture.record(job).predictionId()).isEqualTo("p1");
        assertThat(fixture.count("/sendPhoto")).isEqualTo(1);
    }

    @Test
    void aStoredResultOfThePreviousVersionIsSentAndAnEndedOrDeliveredJobNeedsNothingMore() throws Exception {
        Job stored = fixture.job().build();
        String key = StorageKeys.media(stored.userId(), stored.jobId(), ".png");
        fixture.media.put(key, "png-bytes".getBytes(), "image/png");
        storedByThePreviousVersion(stored, "STORED", null, 0, "p1", key);
        Job ended = fixture.job().build();
        storedByThePreviousVersion(ended, "ENDED", null, 0, "p2", null);
        Job delivered = fixture.job().build();
        storedByThePreviousVersion(delivered, "DELIVERED", null, 0, "p3", key);

        run.run(stored, "m1", () -> 60_000);
        run.run(ended, "m1", () -> 60_000);
        run.run(delivered, "m1", () -> 60_000);

        assertThat(fixture.count("/sendPhoto")).isEqualTo(1);
        assertThat(fixture.count("/sendMessage")).as("an old ending was told already").isZero();
        assertThat(fixture.record(stored).state()).isEqualTo(State.DELIVERED);
        assertThat(fixture.creates()).isZero();
    }

    @Test
    void aDeadLetterOfThePreviousVersionEndsItsJobOnce() throws Exception {
        Job job = fixture.job().build();
        storedByThePreviousVersion(job, "PREDICTING", null, fixture.clock.millis() - Duration.ofMinutes(5).toMillis(),
                "p1", null);

        new DeadLetterHandler(fixture.polling()).handleRequest(WorkerFixture.event(java.util.Map.of("m1", job)),
                new imagine.core.testing.TestContext());

        assertThat(fixture.count("/predictions/p1/cancel")).isEqualTo(1);
        assertThat(fixture.told()).hasSize(1);
        assertThat(fixture.record(job).state()).isEqualTo(State.ENDED);
    }
}
