package imagine.local;

import static imagine.local.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imagine.local.aws.LocalAws;
import imagine.local.lambda.FunctionRuntime;
import imagine.local.lambda.InvocationResult;
import imagine.local.template.FunctionSpec;
import imagine.local.template.SamTemplate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FunctionRuntimeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestProject project;
    private FunctionRuntime probe;

    @BeforeEach
    void start() {
        project = TestProject.create();
        probe = runtime(2);
    }

    @AfterEach
    void stop() {
        probe.close();
    }

    private FunctionRuntime runtime(int concurrency) {
        SamTemplate template = SamTemplate.load(project.template());
        FunctionSpec spec = template.function("ProbeFunction",
                template.intrinsics(project.parameters(), "us-east-1", "000000000000"));
        return new FunctionRuntime(spec, Map.of("EXTRA", "given"), concurrency, LocalAws.defaults());
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void initRunsOncePerEnvironmentAndTheEnvironmentIsGiven() throws Exception {
        for (int i = 0; i < 3; i++) {
            JsonNode out = json(probe.invoke("{\"action\":\"echo\",\"value\":\"v" + i + "\"}"));
            assertThat(out.get("echo").asText()).isEqualTo("v" + i);
            assertThat(out.get("memory").asInt()).isEqualTo(512);
            assertThat(out.get("remaining").asInt()).isBetween(1, 3000);
        }
        assertThat(probe.coldStarts()).isEqualTo(1);
        assertThat(probe.invocations()).isEqualTo(3);
        assertThat(project.recordLines()).containsExactly("init ProbeFunction");

        assertThat(json(probe.invoke("{\"action\":\"env\",\"name\":\"EXTRA\"}")).get("value").asText())
                .isEqualTo("given");
        assertThat(json(probe.invoke("{\"action\":\"env\",\"name\":\"AWS_REGION\"}")).get("value").asText())
                .isEqualTo("us-east-1");
        assertThat(System.getProperty("aws.accessKeyId")).isEqualTo("local");
    }

    @Test
    void theFunctionSeesOnlyItsJarAndTheLambdaCoreInterfaces() throws Exception {
        JsonNode out = json(probe.invoke("{\"action\":\"classes\"}"));
        assertThat(out.get("seesPlatform").asBoolean()).isFalse();
        assertThat(out.get("seesJackson").asBoolean()).isFalse();
        assertThat(out.get("seesEvents").asBoolean()).isTrue();
        assertThat(out.get("sameContext").asBoolean()).isTrue();
    }

    @Test
    void anExceptionIsAnErrorResultAndKeepsTheEnvironment() {
        InvocationResult result = probe.execute("{\"action\":\"throw\",\"value\":\"x\"}");
        assertThat(result.failed()).isTrue();
        assertThat(result.error().errorType()).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(result.error().errorMessage()).isEqualTo("bad input x");
        assertThat(result.responseJson()).contains("\"errorType\":\"java.lang.IllegalArgumentException\"");
        assertThat(probe.execute("{\"action\":\"echo\",\"value\":\"after\"}").failed()).isFalse();
        assertThat(probe.coldStarts()).isEqualTo(1);
    }

    @Test
    void aTimeoutDiscardsTheEnvironment() {
        InvocationResult result = probe.execute(gate("a", "never"));
        assertThat(result.error().errorType()).isEqualTo("Sandbox.Timedout");
        assertThat(result.error().errorMessage()).isEqualTo("Task timed out after 3.00 seconds");
        assertThat(result.duration()).isLessThan(Duration.ofSeconds(5));

        InvocationResult next = probe.execute("{\"action\":\"echo\",\"value\":\"again\"}");
        assertThat(next.failed()).isFalse();
        assertThat(next.coldStart()).isTrue();
        assertThat(probe.coldStarts()).isEqualTo(2);
    }

    @Test
    void environmentsGrowWithDemandUpToTheLimit() {
        try (FunctionRuntime slow = runtimeWithTimeout()) {
            var first = CompletableFuture.supplyAsync(() -> slow.execute(gate("a", "g1")));
            var second = CompletableFuture.supplyAsync(() -> slow.execute(gate("b", "g1")));
            await("two overlapping invocations").atMost(Duration.ofSeconds(10)).until(() -> project.count("started") == 2);
            var third = CompletableFuture.supplyAsync(() -> slow.execute(gate("c", "g1")));
            assertThat(slow.coldStarts()).isEqualTo(2);
            project.open("g1");
            assertThat(first.join().failed()).isFalse();
            assertThat(second.join().failed()).isFalse();
            assertThat(third.join().failed()).isFalse();
            assertThat(slow.coldStarts()).isEqualTo(2);
            assertThat(slow.invocations()).isEqualTo(3);
        }
    }

    @Test
    void discardAllKillsRunningInvocations() {
        try (FunctionRuntime slow = runtimeWithTimeout()) {
            var running = CompletableFuture.supplyAsync(() -> slow.execute(gate("a", "never")));
            await("the invocation to start").atMost(Duration.ofSeconds(10)).until(() -> project.count("started a") == 1);
            assertThat(slow.discardAll()).isEqualTo(1);
            InvocationResult killed = running.join();
            assertThat(killed.error().errorType()).isEqualTo("Runtime.ExitError");
            InvocationResult next = slow.execute("{\"action\":\"echo\",\"value\":\"x\"}");
            assertThat(next.failed()).isFalse();
            assertThat(next.coldStart()).isTrue();
        }
    }

    /** The probe with a long timeout and a limit of two environments. */
    private FunctionRuntime runtimeWithTimeout() {
        SamTemplate template = SamTemplate.load(project.template());
        FunctionSpec spec = template.function("ProbeFunction",
                template.intrinsics(project.parameters(), "us-east-1", "000000000000"));
        FunctionSpec longer = new FunctionSpec(spec.logicalId(), spec.codeUri(), spec.handler(), spec.memorySize(), 30,
                spec.environment(), spec.routes(), spec.sqsEvents());
        return new FunctionRuntime(longer, Map.of(), 2, LocalAws.defaults());
    }

    private static String gate(String id, String gate) {
        return "{\"action\":\"gate\",\"value\":\"" + id + "\",\"gate\":\"" + gate + "\"}";
    }
}
