package imagine.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.local.template.SamTemplate;
import imagine.local.template.TemplateParameter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulationInputsTest {
    private static final SamTemplate TEMPLATE = SamTemplate.load(Path.of("../../template.yaml"));

    @Test
    void theSimulatedSettingsAreTheTemplatesDefaults() {
        SimulationInputs deployed = SimulationInputs.deployed(5);
        Map<String, TemplateParameter> parameters = TEMPLATE.parameters();

        assertThat(deployed.limit(Limit.WORKER_MAXIMUM_CONCURRENCY))
                .isEqualTo(Double.parseDouble(parameters.get("WorkerMaximumConcurrency").defaultValue()));
        assertThat(deployed.firstBackoff())
                .isEqualTo(Double.parseDouble(parameters.get("RetryFirstDelaySeconds").defaultValue()));
        assertThat(deployed.maxReceiveCount()).isEqualTo(TEMPLATE.queues(TEMPLATE.intrinsics(Map.of(), "us-east-1",
                "000000000000")).get("JobsQueue").redrive().maxReceiveCount());
    }

    @Test
    void liftingALimitLeavesTheOthers() {
        SimulationInputs deployed = SimulationInputs.deployed(5);

        SimulationInputs lifted = deployed.lifted(Limit.REPLICATE_CREATE_RATE);

        assertThat(lifted.limit(Limit.REPLICATE_CREATE_RATE)).isInfinite();
        assertThat(lifted.limit(Limit.TELEGRAM_PER_BOT)).isEqualTo(30);
        assertThat(lifted.modelLatency()).isEqualTo(5);
    }
}
