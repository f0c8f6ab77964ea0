package imagine.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import imagine.core.Json;
import imagine.core.testing.EmbeddedMetricFormat;
import imagine.core.testing.TestContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Log lines and metrics as the functions write them through Lambda's logger. */
class TelemetryTest {
    private final TestContext context = new TestContext();

    @Test
    void aLogLineIsOneJsonObjectWithLambdasFieldsAndTheOperatorsOwn() throws Exception {
        Log.attach(context);

        Log.of("job_id", "7-0-0", "user_id", 1001L).and("model", "ideogram", "prediction_id", null)
                .warn("run failed, tried again later", new IllegalStateException("S3 answered 503"), "duration_ms", 42);

        JsonNode line = onlyLine();
        assertThat(line.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(line.get("level").asText()).isEqualTo("WARN");
        assertThat(line.get("message").asText()).isEqualTo("run failed, tried again later");
        assertThat(line.get("AWSRequestId").asText()).isEqualTo("test-request");
        assertThat(line.get("job_id").asText()).isEqualTo("7-0-0");
        assertThat(line.get("user_id").asLong()).isEqualTo(1001);
        assertThat(line.get("duration_ms").isNumber()).isTrue();
        assertThat(line.get("error").asText()).isEqualTo("IllegalStateException");
        assertThat(line.get("error_message").asText()).isEqualTo("S3 answered 503");
        assertThat(line.has("prediction_id")).as("a null field is left out").isFalse();
    }

    @Test
    void metricsAreEmbeddedMetricFormatLinesPerModelAndInAll() throws Exception {
        Log.attach(context);

        Metrics.event().dimension("Model", "ideogram").count("PredictionsSucceeded").milliseconds("PredictionLatency", 5200)
                .value("EstimatedCostUsd", 0.03).emit();

        JsonNode line = onlyLine();
        assertThat(EmbeddedMetricFormat.problems(line)).isEmpty();
        JsonNode directive = line.at("/_aws/CloudWatchMetrics/0");
        assertThat(directive.get("Namespace").asText()).isEqualTo(Metrics.DEFAULT_NAMESPACE);
        assertThat(directive.get("Dimensions").toString()).isEqualTo("[[\"Model\"],[]]");
        assertThat(line.get("PredictionLatency").asLong()).isEqualTo(5200);
        assertThat(line.get("EstimatedCostUsd").asDouble()).isEqualTo(0.03);
    }

    private JsonNode onlyLine() throws Exception {
        List<String> lines = context.logs();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).endsWith("\n").doesNotContain("\n{");
        return Json.MAPPER.readTree(lines.get(0));
    }
}
