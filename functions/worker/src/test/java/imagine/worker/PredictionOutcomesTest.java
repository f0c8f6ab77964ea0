package imagine.worker;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.core.Job;
import imagine.core.usage.Units;
import imagine.worker.JobRecord.State;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * However a prediction ends, the job ends as what it is: a picture, or one message that says why not (and the unit
 * back), never a retry of something that will not change.
 */
class PredictionOutcomesTest {
    private final WorkerFixture fixture = new WorkerFixture();
    private final JobRun run = fixture.polling().run();

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aSafetyRefusalIsExplainedInPlainWordsOnceAndItsUnitGoesBack() throws Exception {
        Job job = fixture.counted(fixture.job().build());
        fixture.routes.put("/predictions/p1", request -> fixture.prediction("p1", "failed", null,
                "NSFW content detected."));

        run.run(job, "m1", () -> 60_000);
        run.run(job, "m1", () -> 60_000);

        assertThat(fixture.told()).singleElement().asString().contains("It flagged the prompt or the picture as unsafe");
        assertThat(fixture.ledger.used(job.userId())).isEqualTo(Units.NONE);
    }

    @Test
    void aPredictionPastItsDeadlineIsCanceledAndTheUserTold() throws Exception {
        fixture.routes.put("/predictions/p1", request -> WorkerFixture.predictionAt("p1", "processing", null, null,
                fixture.clock.instant().minus(Duration.ofMinutes(11))));

        run.run(fixture.job().build(), "m1", () -> 60_000);

        assertThat(fixture.count("/cancel")).isEqualTo(1);
        assertThat(fixture.told()).singleElement().asString().contains("took too long");
    }

    @Test
    void anAbortedPredictionNeverRanSoItEndsAtOnceWithItsUnitBack() throws Exception {
        Job job = fixture.counted(fixture.job().build());
        fixture.routes.put("/predictions/p1", request -> new MockResponse.Builder().body("{\"id\":\"p1\",\"status\":"
                + "\"aborted\",\"created_at\":\"" + fixture.clock.instant() + "\"}").build());

        run.run(job, "m1", () -> 60_000);

        assertThat(fixture.count("/predictions/p1")).as("not polled until the deadline").isEqualTo(1);
        assertThat(fixture.told()).singleElement().asString().contains("took too long");
        assertThat(fixture.ledger.used(job.userId())).isEqualTo(Units.NONE);
        assertThat(fixture.record(job).charged()).isFalse();
    }

    @Test
    void anOutputGivenInlineAsADataUriIsKeptAndSent() throws Exception {
        String inline = "data:image/png;base64," + Base64.getEncoder().encodeToString("inline-png".getBytes());
        fixture.routes.put("/predictions/p1", request -> fixture.prediction("p1", "succeeded", inline, null));

        Job job = fixture.job().build();
        run.run(job, "m1", () -> 60_000);

        assertThat(fixture.body("/sendPhoto")).contains("inline-png");
        assertThat(fixture.record(job).state()).isEqualTo(State.DELIVERED);
    }

    @Test
    void aSucceededPredictionWhoseOutputReplicateRemovedEndsWithAnExplanationNotRetries() throws Exception {
        Job job = fixture.counted(fixture.job().build());
        fixture.routes.put("/predictions/p1", request -> new MockResponse.Builder().body("{\"id\":\"p1\",\"status\":"
                + "\"succeeded\",\"output\":null,\"data_removed\":true,\"created_at\":\""
                + Instant.now().minus(Duration.ofHours(2)) + "\"}").build());

        run.run(job, "m1", () -> 60_000);

        assertThat(fixture.told()).singleElement().asString().contains("its file was gone");
        assertThat(fixture.ledger.used(job.userId())).isEqualTo(Units.NONE);
        assertThat(fixture.record(job).ending()).isEqualTo(Ending.Reason.OUTPUT_GONE);
    }

    @Test
    void aVideoTheModelRefusesIsExplainedAsAVideo() throws Exception {
        fixture.routes.put("/predictions", request -> new MockResponse.Builder().code(422)
                .body("{\"detail\":\"duration must be 5 or 10\",\"status\":422}").build());

        run.run(fixture.job().model("seedance").aspectRatio("16:9").prompt("waves").build(), "m1", () -> 60_000);

        assertThat(fixture.told()).singleElement().asString()
                .contains("I could not make video 1/1 (\"waves\"): the model refused.");
    }
}
