package imagine.benchmark;

import static imagine.benchmark.SimulationFixture.AWS;
import static imagine.benchmark.SimulationFixture.CALLBACK_FIRST;
import static imagine.benchmark.SimulationFixture.CREATE_S3;
import static imagine.benchmark.SimulationFixture.CREATE_WARM;
import static imagine.benchmark.SimulationFixture.FINISH_S3;
import static imagine.benchmark.SimulationFixture.FINISH_WARM;
import static imagine.benchmark.SimulationFixture.L;
import static imagine.benchmark.SimulationFixture.REMOTE;
import static imagine.benchmark.SimulationFixture.RESTORE;
import static imagine.benchmark.SimulationFixture.WORKER_FIRST;
import static imagine.benchmark.SimulationFixture.inputs;
import static imagine.benchmark.SimulationFixture.only;
import static imagine.benchmark.SimulationFixture.webhookEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import imagine.benchmark.DeployedModel.Mode;
import org.junit.jupiter.api.Test;

class DeployedModelTest {
    private static final double EXACT = 1e-9;

    /** Receive, a restored worker, the create request, then L and Replicate's callback. */
    private static final double CALLBACK_ARRIVES = webhookEnd() + AWS + RESTORE + WORKER_FIRST + CREATE_S3 * AWS
            + L + REMOTE;
    /**
     * A restored callback function reads the job's record and hands the job over through the queue; a worker whose
     * environment the create left idle stores the output (downloaded from Replicate) and uploads it to Telegram.
     */
    private static final double CALLBACK_DELIVERS = CALLBACK_ARRIVES + RESTORE + CALLBACK_FIRST + 2 * AWS + AWS
            + FINISH_WARM + FINISH_S3 * AWS + REMOTE + REMOTE;

    @Test
    void withNoLimitEveryImageTakesLPlusItsStages() {
        Outcome outcome = DeployedModel.run(only(inputs(L)), Mode.CALLBACK, new Load(100, 1));

        assertThat(outcome.delivered()).isEqualTo(100);
        assertThat(outcome.firstImage()).isCloseTo(CALLBACK_DELIVERS, within(EXACT));
        assertThat(outcome.makespan()).isCloseTo(CALLBACK_DELIVERS, within(EXACT));
    }

    @Test
    void aPollingWorkerWhoseCreateCallHoldsTheResultSendsItItself() {
        double latency = 1;
        Outcome outcome = DeployedModel.run(only(inputs(latency)), Mode.POLLING, new Load(10, 1));

        double expected = webhookEnd() + AWS + RESTORE + WORKER_FIRST + CREATE_S3 * AWS + latency + REMOTE
                + FINISH_WARM + FINISH_S3 * AWS + REMOTE + REMOTE;
        assertThat(outcome.makespan()).isCloseTo(expected, within(EXACT));
    }

    @Test
    void jobsBeyondTheWorkersConcurrencyRunInRounds() {
        double latency = 1;
        SimulationInputs twoBatches = only(inputs(latency), Limit.WORKER_MAXIMUM_CONCURRENCY)
                .with(Limit.WORKER_MAXIMUM_CONCURRENCY, 2);
        double job = CREATE_S3 * AWS + latency + REMOTE + FINISH_WARM + FINISH_S3 * AWS + REMOTE + REMOTE;
        double firstRound = AWS + RESTORE + WORKER_FIRST + job;
        double laterRound = AWS + CREATE_WARM + job;

        // Two batches of five: ten jobs a round.
        assertThat(DeployedModel.run(twoBatches, Mode.POLLING, new Load(100, 1)).makespan())
                .isCloseTo(webhookEnd() + firstRound + 9 * laterRound, within(EXACT));
        assertThat(DeployedModel.run(twoBatches, Mode.POLLING, new Load(101, 1)).makespan())
                .isCloseTo(webhookEnd() + firstRound + 10 * laterRound, within(EXACT));
    }

    @Test
    void telegramsPerBotRateSpacesTheSendsAndDropsTheAnswersOverIt() {
        SimulationInputs perBot = only(inputs(L), Limit.TELEGRAM_PER_BOT);

        Outcome outcome = DeployedModel.run(perBot, Mode.CALLBACK, new Load(300, 1));

        // 300 answers at once: the bucket's 30 go, the rest are dropped. By the sends it is full again: 30 go at
        // once, the other 270 one every 1/30 s.
        assertThat(outcome.acknowledgementsDropped()).isEqualTo(270);
        assertThat(outcome.firstImage()).isCloseTo(CALLBACK_DELIVERS, within(EXACT));
        assertThat(outcome.makespan()).isCloseTo(CALLBACK_DELIVERS + 270 / 30.0, within(1e-6));
    }

    @Test
    void aJobRefusedByReplicateWaitsOutTheRetryAfterOnTheQueueWithoutSpendingAReceive() {
        SimulationInputs oneCreateInAThousandSeconds = only(inputs(L), Limit.REPLICATE_CREATE_RATE)
                .with(Limit.REPLICATE_CREATE_RATE, 0.001);

        Outcome outcome = DeployedModel.run(oneCreateInAThousandSeconds, Mode.CALLBACK, new Load(3, 1));

        // The first is created at once; the others are told to come back when the rate has room, about 1,000 s
        // later, where one of them is refused again: far more refusals than maxReceiveCount, and nothing lost.
        assertThat(outcome.delivered()).isEqualTo(3);
        assertThat(outcome.makespan()).isBetween(2000.0, 2000 + CALLBACK_DELIVERS + 1);
    }

    @Test
    void aJobReplicateRefusesAgainWaitsAtRandomUnderItsBackoffNeverSoonerThanAsked() {
        SimulationInputs oneCreateASecond = only(inputs(L), Limit.REPLICATE_CREATE_RATE)
                .with(Limit.REPLICATE_CREATE_RATE, 1);

        Outcome outcome = DeployedModel.run(oneCreateASecond, Mode.CALLBACK, new Load(3, 1));

        // One is created at once, two are told to come back in a second; then one is created and the other, refused
        // a second time, waits at random up to the first backoff (5 s), and at least the second Replicate asks for.
        assertThat(outcome.delivered()).isEqualTo(3);
        assertThat(outcome.makespan()).isBetween(CALLBACK_DELIVERS + 1 + 1, CALLBACK_DELIVERS + 1 + 5 + 1);
    }

    @Test
    void atTenThousandImagesNoJobRunsOutOfWaitsOnReplicatesCreateRate() {
        SimulationInputs deployed = SimulationInputs.deployed(L);

        for (Mode mode : Mode.values()) {
            for (Load load : new Load[] {new Load(10_000, 1), new Load(10_000, 4)}) {
                Outcome outcome = DeployedModel.run(deployed, mode, load);

                assertThat(outcome.failed()).as("%s, %s", mode, load.describe()).isZero();
                assertThat(outcome.delivered()).as("%s, %s", mode, load.describe()).isEqualTo(10_000);
            }
        }
    }

    @Test
    void theSameLoadGivesTheSameRun() {
        SimulationInputs deployed = SimulationInputs.deployed(L);

        assertThat(DeployedModel.run(deployed, Mode.CALLBACK, new Load(60, 4)))
                .isEqualTo(DeployedModel.run(deployed, Mode.CALLBACK, new Load(60, 4)));
    }
}
