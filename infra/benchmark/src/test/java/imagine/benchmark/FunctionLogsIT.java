package imagine.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import imagine.core.testing.EmbeddedMetricFormat;
import imagine.local.aws.LocalAws;
import imagine.local.bot.LocalBot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the functions write, as Lambda receives it: each function runs in its own JVM under AWS's runtime interface
 * client with {@code AWS_LAMBDA_LOG_FORMAT=JSON} (as the template's LoggingConfig sets it), against the local
 * platform's stand-ins. Every line it prints is one JSON object Lambda keeps as it is: a log line with the runtime's
 * fields and the operator's, or a metrics line valid under the Embedded Metric Format specification. No secret is in
 * any of them, and there is no SLF4J warning or other plain text.
 */
class FunctionLogsIT {
    private static final Path PROJECT = Path.of("../..").toAbsolutePath().normalize();
    private static final String REQUEST_ID = "bench-request-1";

    private static Path work;
    private static LocalBot bot;
    private static String runtimeClient;
    private static Path jni;

    @BeforeAll
    static void start() throws IOException {
        work = Files.createTempDirectory("function-logs");
        runtimeClient = Files.readString(PROJECT.resolve("infra/benchmark/target/runtime-client-classpath.txt")).strip();
        jni = ColdStart.extractJni(work, runtimeClient);
        bot = LocalBot.start(PROJECT, LocalBot.Settings.forTests(Duration.ofMillis(200)).withoutPolling(), Map.of());
    }

    @AfterAll
    static void stop() {
        if (bot != null) {
            bot.close();
        }
    }

    @Test
    void theWebhooksLinesCarryTheUpdateUserAndDurationAndItsMetricsAreEmbeddedMetricFormat() throws Exception {
        List<JsonNode> lines = run("WebhookFunction", "imagine-webhook.jar", Updates.apiEvent(PROJECT,
                Updates.text(930_001, 3001, 11, "a lighthouse at dusk\na fox in the snow")));

        assertThat(logLines(lines)).anySatisfy(line -> {
            assertThat(line.get("message").asText()).isEqualTo("update answered");
            assertThat(line.get("level").asText()).isEqualTo("INFO");
            assertThat(line.get("update_id").asLong()).isEqualTo(930_001);
            assertThat(line.get("user_id").asLong()).isEqualTo(3001);
            assertThat(line.get("jobs").asInt()).isEqualTo(2);
            assertThat(line.get("duration_ms").isNumber()).isTrue();
        });
        assertThat(metricNames(lines)).contains("Updates", "JobsEnqueued");
    }

    @Test
    void theWorkersLinesFollowTheJobThroughItsStagesAndItsMetricsArePerModel() throws Exception {
        long user = 3002;
        bot.telegram().userSends(user, "Ann", "en", "/start");
        bot.telegram().awaitBotMessage(user, message -> true, Duration.ofSeconds(30));

        List<JsonNode> lines = run("WorkerFunction", "imagine-worker.jar",
                Updates.sqsJobEvent(PROJECT, "930002-0-0", user));

        List<JsonNode> logs = logLines(lines);
        assertThat(logs).extracting(line -> line.path("stage").asText())
                .contains("create", "store", "deliver");
        assertThat(logs).filteredOn(line -> line.has("stage")).allSatisfy(line -> {
            assertThat(line.get("job_id").asText()).isEqualTo("930002-0-0");
            assertThat(line.get("user_id").asLong()).isEqualTo(user);
            assertThat(line.get("model").asText()).isNotEmpty();
        });
        assertThat(logs).anySatisfy(line -> assertThat(line.get("prediction_id").asText()).isNotEmpty());
        assertThat(metricNames(lines)).contains("PredictionsCreated", "PredictionsSucceeded", "PredictionLatency",
                "DeliveryTime", "EstimatedCostUsd");
        assertThat(lines).filteredOn(line -> line.has("PredictionsSucceeded"))
                .allSatisfy(line -> assertThat(line.get("Model").asText()).isNotEmpty());
    }

    @Test
    void theDeadLetterFunctionCountsEachDeadLetter() throws Exception {
        long user = 3003;
        bot.telegram().userSends(user, "Ben", "en", "/start");
        bot.telegram().awaitBotMessage(user, message -> true, Duration.ofSeconds(30));

        List<JsonNode> lines = run("DeadLetterFunction", "imagine-worker.jar",
                Updates.sqsJobEvent(PROJECT, "930003-0-0", user));

        assertThat(logLines(lines)).anySatisfy(line -> {
            assertThat(line.get("message").asText()).isEqualTo("dead letter handled");
            assertThat(line.get("job_id").asText()).isEqualTo("930003-0-0");
        });
        assertThat(metricNames(lines)).contains("DeadLetters");
    }

    /**
     * Runs the function on one event in a fresh JVM under the runtime interface client, and returns every line it
     * printed, each checked to be a JSON object, a metrics line to follow the specification, no line to hold a secret.
     */
    private static List<JsonNode> run(String function, String jarName, String event) throws Exception {
        Path jar = PROJECT.resolve("functions").resolve(function.equals("WebhookFunction") ? "webhook" : "worker")
                .resolve("target").resolve(jarName);
        Map<String, String> env = new LinkedHashMap<>(bot.platform().functionEnvironment(function));
        LocalAws aws = LocalAws.defaults();
        env.put("AWS_REGION", aws.region());
        env.put("AWS_ACCESS_KEY_ID", aws.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", aws.secretAccessKey());
        env.put("AWS_LAMBDA_LOG_FORMAT", "JSON");
        env.put("AWS_LAMBDA_LOG_LEVEL", "INFO");
        Path log = work.resolve(function + ".log");
        new LambdaProcess(jar.toString(), bot.platform().function(function).spec().handler(), env, runtimeClient, jni)
                .run(event, List.of(), log, 30);

        // The JVM's own notice of JAVA_TOOL_OPTIONS (on stderr, on Lambda too) is the one line not the function's.
        List<String> printed = Files.readAllLines(log).stream().filter(line -> !line.isBlank())
                .filter(line -> !line.startsWith("Picked up JAVA_TOOL_OPTIONS:")).toList();
        assertThat(printed).as("%s printed something", function).isNotEmpty();
        List<JsonNode> lines = new ArrayList<>();
        for (String text : printed) {
            JsonNode line;
            try {
                line = Updates.JSON.readTree(text);
            } catch (IOException notJson) {
                throw new AssertionError(function + " printed a line that is not JSON: " + text);
            }
            assertThat(line.isObject()).as("%s's line is a JSON object: %s", function, text).isTrue();
            lines.add(line);
            for (Map.Entry<String, String> variable : env.entrySet()) {
                if (variable.getKey().matches(".*(TOKEN|SECRET).*") && variable.getValue().length() >= 8) {
                    assertThat(text).as("%s's line holds no %s", function, variable.getKey())
                            .doesNotContain(variable.getValue());
                }
            }
            if (line.has("_aws")) {
                assertThat(EmbeddedMetricFormat.problems(line)).as("%s's metrics line %s", function, text).isEmpty();
                assertThat(line.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("Imagine/local");
            } else {
                assertThat(line.get("timestamp").asText()).as(text).isNotEmpty();
                assertThat(line.get("level").asText()).as(text).isIn("DEBUG", "INFO", "WARN", "ERROR");
                assertThat(line.get("message").asText()).as(text).isNotEmpty();
            }
        }
        return lines;
    }

    /** The lines the function logged while it handled the event (those of its init carry no request id). */
    private static List<JsonNode> logLines(List<JsonNode> lines) {
        return lines.stream().filter(line -> !line.has("_aws"))
                .filter(line -> REQUEST_ID.equals(line.path("AWSRequestId").asText())).toList();
    }

    private static List<String> metricNames(List<JsonNode> lines) {
        List<String> names = new ArrayList<>();
        lines.stream().filter(line -> line.has("_aws")).forEach(line -> line.at("/_aws/CloudWatchMetrics/0/Metrics")
                .forEach(metric -> names.add(metric.get("Name").asText())));
        return names;
    }
}
