package imagine.benchmark;

import static imagine.benchmark.SimulationFixture.L;
import static org.assertj.core.api.Assertions.assertThat;

import imagine.benchmark.Simulation.Binding;
import imagine.benchmark.Simulation.Design;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationTest {
    private static final SimulationInputs DEPLOYED = SimulationInputs.deployed(L);

    @Test
    void replicatesCreateRateBindsOnceTheImagesOutnumberWhatItAllowsWithinL() {
        // 10 creates a second: 10 images fit in its burst, 100 need 10 s, longer than L.
        assertThat(Simulation.project(DEPLOYED, Design.CALLBACK, new Load(10, 1)).binding()).isEmpty();
        assertThat(Simulation.project(DEPLOYED, Design.CALLBACK, new Load(100, 1)).binding())
                .map(Binding::limit).contains(Limit.REPLICATE_CREATE_RATE);
        assertThat(Simulation.project(DEPLOYED, Design.ORIGIN_GATHERED, new Load(100, 1)).binding())
                .map(Binding::limit).contains(Limit.REPLICATE_CREATE_RATE);
    }

    @Test
    void telegramsPerBotRateBindsWhenTheSendsNeedLongerThanTheRest() {
        // Without Replicate's limit the images are ready together: 500 sends at 30 a second take 16 s, longer than
        // L and the stages; 20 fit in its one-second burst.
        SimulationInputs fastReplicate = DEPLOYED.lifted(Limit.REPLICATE_CREATE_RATE);

        assertThat(Simulation.project(fastReplicate, Design.CALLBACK, new Load(500, 1)).binding())
                .map(Binding::limit).contains(Limit.TELEGRAM_PER_BOT);
        assertThat(Simulation.project(fastReplicate, Design.CALLBACK, new Load(20, 1)).binding()).isEmpty();
    }

    @Test
    void fourPromptsToOneChatWaitForTheChatsPace() {
        assertThat(Simulation.project(DEPLOYED, Design.CALLBACK, new Load(10, 4)).binding())
                .map(Binding::limit).contains(Limit.TELEGRAM_PER_CHAT);
    }

    @Test
    void theOriginBeforeItsFixIsBoundByDrawingOneImageAtATime() {
        assertThat(Simulation.project(DEPLOYED, Design.ORIGIN_ONE_AT_A_TIME, new Load(10, 1)).binding())
                .map(Binding::limit).contains(Limit.ORIGIN_ONE_AT_A_TIME);
    }

    @Test
    void theSectionHasAnInputsRowAndOneRowPerSizeLoadAndDesign() {
        List<Row> rows = Simulation.rows(DEPLOYED, 10, 20);

        assertThat(rows).hasSize(1 + 2 * Simulation.PROMPTS_PER_MESSAGE.length * Design.values().length);
        assertThat(rows).allSatisfy(row -> assertThat(row.section()).contains("projection, not a measurement"));
        assertThat(rows.get(1).measure()).isEqualTo("10 users × 1 prompt = 10 images: " + Design.CALLBACK.label());
        assertThat(rows.get(1).value()).startsWith("makespan ").contains("10/10 delivered", "binds: none");
    }
}
