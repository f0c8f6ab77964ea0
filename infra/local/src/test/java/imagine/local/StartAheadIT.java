package imagine.local;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.local.lambda.FunctionRuntime;
import imagine.local.lambda.InvocationResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartAheadIT {
    private static final List<String> FUNCTIONS = List.of("ApiFunction", "JobsFunction", "SlowFunction", "ProbeFunction");

    @Test
    void eachFunctionHasAnInitialisedEnvironmentBeforeItsFirstInvocation() {
        TestProject project = TestProject.create();
        try (LocalPlatform platform = LocalPlatform.start(Options.defaults(project.template())
                .withParameters(project.parameters())
                .withApiPort(0)
                .withStartAhead(1))) {
            for (String name : FUNCTIONS) {
                FunctionRuntime function = platform.function(name);
                assertThat(function.coldStarts()).as(name).isEqualTo(1);
                assertThat(function.invocations()).as(name).isZero();
            }
            assertThat(project.count("init ProbeFunction")).isEqualTo(1);

            InvocationResult first = platform.function("ProbeFunction").execute("{\"action\":\"echo\",\"value\":\"hi\"}");
            assertThat(first.failed()).isFalse();
            assertThat(first.coldStart()).isFalse();
            assertThat(platform.function("ProbeFunction").coldStarts()).isEqualTo(1);
            assertThat(project.count("init ProbeFunction")).isEqualTo(1);
        }
    }

    @Test
    void withoutTheOptionTheFirstInvocationStartsCold() {
        TestProject project = TestProject.create();
        try (LocalPlatform platform = LocalPlatform.start(Options.defaults(project.template())
                .withParameters(project.parameters())
                .withApiPort(0))) {
            assertThat(platform.function("ProbeFunction").coldStarts()).isZero();
            assertThat(platform.function("ProbeFunction").execute("{\"action\":\"echo\",\"value\":\"hi\"}").coldStart())
                    .isTrue();
        }
    }
}
