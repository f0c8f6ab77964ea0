package imagine.benchmark;

import static imagine.benchmark.SimulationFixture.L;
import static imagine.benchmark.SimulationFixture.inputs;
import static imagine.benchmark.SimulationFixture.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OriginModelTest {

    @Test
    void oneImageIsItsCreatePollsDownloadAndSend() {
        Outcome outcome = OriginModel.run(only(inputs(L)), new Load(1, 1));

        // Created at 0; a poll every 0.2 s call + 0.5 s pause from 0.7 s: at 4.9 s still running, at 5.6 s done,
        // its answer at 5.8 s, the download at 6.0 s, the upload at 6.2 s.
        assertThat(outcome.makespan()).isCloseTo(6.2, within(1e-9));
    }

    @Test
    void beforeItsFixTheOriginDrawsForEveryoneOneImageAtATime() {
        SimulationInputs oneAtATime = only(inputs(L), Limit.ORIGIN_ONE_AT_A_TIME);

        Outcome outcome = OriginModel.run(oneAtATime, new Load(7, 4));

        assertThat(outcome.firstImage()).isCloseTo(6.2, within(1e-9));
        assertThat(outcome.makespan()).isCloseTo(7 * 6.2, within(1e-9));
    }

    @Test
    void replicatesCreateRateSpacesTheImagesOfAllAtOnce() {
        SimulationInputs createRate = only(inputs(L), Limit.REPLICATE_CREATE_RATE);

        Outcome outcome = OriginModel.run(createRate, new Load(200, 1));

        // 10 a second with one second's burst: the first 10 at once, the 200th after (200 - 10) / 10 = 19 s.
        assertThat(outcome.firstImage()).isCloseTo(6.2, within(1e-9));
        assertThat(outcome.makespan()).isCloseTo(19 + 6.2, within(1e-9));
    }
}
