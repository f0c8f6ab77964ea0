package imagine.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imagine.core.Cancellations;
import imagine.core.Job;
import imagine.core.Task;
import imagine.core.testing.LocalBucket;
import imagine.core.usage.Units;
import imagine.worker.JobRecord.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /cancel}: what has not started is dropped before it pays; what runs is stopped on Replicate at once, by a
 * cancel task a worker carries out; and a unit goes back only when the model charged nothing for it. A picture that
 * was finished (and paid for) before the cancel reached it still arrives, and counts.
 */
class CancelTest {
    private final WorkerFixture fixture = new WorkerFixture();
    private final Cancellations cancellations = new Cancellations(WorkerFixture.bucket().client(), LocalBucket.NAME);

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** The user's jobs of one update, counted under today. */
    private Job counted(Job job, int images) {
        fixture.ledger.take(job.userId(), "u" + job.updateId(), new Units(images, 0), Units.NONE);
        return job;
    }

    /** What the webhook does on /cancel: the mark, then the task. */
    private Job cancel(Job earlier) {
        long cancelUpdate = earlier.updateId() + 1;
        cancellations.cancelThrough(earlier.userId(), cancelUpdate);
        return earlier.toBuilder().jobId(Job.taskIdFor(cancelUpdate, Task.CANCEL)).task(Task.CANCEL).build();
    }

    @Test
    void aJobNotStartedYetIsDroppedBeforeItPaysAndItsUnitGoesBackWithoutAWord() throws Exception {
        Job job = counted(fixture.job().build(), 1);
        cancel(job);

        fixture.polling().run().run(job, "m1", () -> 60_000);

        assertThat(fixture.creates()).isZero();
        assertThat(fixture.told()).isEmpty();
        assertThat(fixture.ledger.used(job.userId())).isEqualTo(Units.NONE);
        assertThat(fixture.record(job).state()).isEqualTo(State.ENDED);
    }

    @Test
    void inCallbackModeTheCancelTaskStopsARunningPredictionAtOnceAndNothingWasChargedForAPicture() throws Exception {
        Components components = fixture.callbacks();
        Job job = counted(fixture.job().build(), 1);
        fixture.routes.put("/predictions/p1", request -> fixture.prediction("p1", "processing", null, null));
        components.run().run(job, "m1", () -> 60_000);

        int stopped = components.cancels().run(cancel(job));

        assertThat(stopped).isEqualTo(1);
        assertThat(fixture.count("/predictions/p1/cancel")).as("at once, not at the check-up").isEqualTo(1);
        // Replicate's callback for the canceled prediction wakes the job.
        fixture.routes.put("/predictions/p1", request -> fixture.prediction("p1", "canceled", null, null));
        components.run().run(job.carriedFor("m1"), "wake", () -> 60_000);
        assertThat(fixture.told()).isEmpty();
        assertThat(fixture.ledger.used(job.userId())).as("no output, no charge").isEqualTo(Units.NONE);
        assertThat(fixture.record(job).ending()).isEqualTo(Ending.Reason.CANCELED);
    }

    @Test
    void aCancelTaskLeavesTheJobsOfLaterUpdatesAndOtherUsersAlone() throws Exception {
        Components components = fixture.callbacks();
        Job earlier = fixture.job().build();
        Job stranger = fixture.job().build();
        fixture.routes.put("/predictions/p1", request -> fixture.prediction("p1", "processing", null, null));
        components.run().run(earlier, "m1", () -> 60_000);
        components.run().run(stranger, "m2", () -> 60_000);
        Job task = cancel(earlier);
        Job later = earlier.toBuilder().jobId((task.updateId() + 1) + "-0-0").build();
        components.run().run(later, "m3", () -> 60_000);

        assertThat(components.cancels().run(task)).as("only the earlier job of this user").isEqualTo(1);
    }

    @Test
    void aPollingWorkerSeesTheCanceledPredictionAndEndsTheJobQuietly() throws Exception {
        Components components = fixture.polling();
        Job job = counted(fixture.job().build(), 1);
        fixture.routes.put("/predictions/p1", request -> fixture.prediction("p1", "processing", null, null));
        assertThatThrownBy(() -> components.run().run(job, "m1", () -> 10_500)).isInstanceOf(RetryLater.class);

        components.cancels().run(cancel(job));
        fixture.routes.put("/predictions/p1", request -> fixture.prediction("p1", "canceled", null, null));
        components.run().run(job, "m1", () -> 60_000);

        assertThat(fixture.count("/sendPhoto") + fixture.count("/sendMessage")).isZero();
        assertThat(fixture.ledger.used(job.userId())).isEqualTo(Units.NONE);
    }

    @Test
    void aPictureFinishedBeforeTheCancelReachedItWasPaidForSoItArrivesAndCounts() throws Exception {
        Components components = fixture.callbacks();
        Job job = counted(fixture.job().build(), 1);
        components.run().run(job, "m1", () -> 60_000);
        fixture.routes.put("/predictions/p1/cancel", request -> fixture.prediction("p1", "succeeded",
                fixture.url("/out/p1.png"), null));

        components.cancels().run(cancel(job));
        components.run().run(job.carriedFor("m1"), "wake", () -> 60_000);

        assertThat(fixture.count("/sendPhoto")).isEqualTo(1);
        assertThat(fixture.ledger.used(job.userId())).isEqualTo(new Units(1, 0));
    }

    @Test
    void aModelBilledForItsRunKeepsTheUnitOfACanceledPredictionThatStartedAndGivesBackOneThatDidNot()
            throws Exception {
        Components components = fixture.polling();
        Job started = fixture.job().build();
        Job write = started.toBuilder().jobId(started.updateId() + "-write").task(Task.WRITE).model(null)
                .prompt("a poem").build();
        fixture.ledger.take(write.userId(), "u" + write.updateId(), new Units(1, 0), Units.NONE);
        fixture.routes.put("/predictions/p1", request -> fixture.prediction("p1", "processing", null, null));
        assertThatThrownBy(() -> components.run().run(write, "m1", () -> 10_500)).isInstanceOf(RetryLater.class);

        cancel(write);
        fixture.routes.put("/predictions/p1", request -> fixture.prediction("p1", "canceled", null, null));
        components.run().run(write, "m1", () -> 60_000);

        assertThat(fixture.record(write).charged()).as("it ran, and Llama is billed for its run").isTrue();
        assertThat(fixture.ledger.used(write.userId())).as("paid at the user's request: kept")
                .isEqualTo(new Units(1, 0));
    }

    @Test
    void aPredictionRecordedAfterTheCancelTaskLookedIsStoppedByItsOwnWorker() throws Exception {
        Components components = fixture.callbacks();
        Job job = counted(fixture.job().build(), 1);
        Job task = cancel(job);
        assertThat(components.cancels().run(task)).as("nothing running yet").isZero();
        // The worker had checked the mark just before /cancel came, and creates now.
        Jobs.Claim claim = components.jobs().claim(job, "m1");
        Predictions.Start start = components.predictions().start(job, components.catalog().get("ideogram"),
                ((Jobs.Taken) claim).lease());

        assertThat(start).isInstanceOf(Predictions.Started.class);
        assertThat(fixture.count("/predictions/p1/cancel")).isEqualTo(1);
    }
}
