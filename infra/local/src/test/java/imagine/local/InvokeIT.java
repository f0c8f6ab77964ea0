package imagine.local;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.local.lambda.InvocationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class InvokeIT {

    @Test
    void runsOneFunctionOnAnEventFileWithoutARunningPlatform() throws Exception {
        TestProject project = TestProject.create();
        Path event = Files.writeString(project.directory().resolve("event.json"), "{\"action\":\"throw\",\"value\":\"v\"}");
        InvocationResult result = Invoke.run(Options.defaults(project.template()).withParameters(project.parameters()),
                "ProbeFunction", event);
        assertThat(result.responseJson())
                .isEqualTo("{\"errorMessage\":\"bad input v\",\"errorType\":\"java.lang.IllegalArgumentException\"}");
        assertThat(result.coldStart()).isTrue();
    }
}
