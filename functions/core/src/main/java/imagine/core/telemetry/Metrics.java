package imagine.core.telemetry;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import imagine.core.Environment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CloudWatch metrics in the Embedded Metric Format: one JSON object per event, a line of its own in the function's
 * log, from which CloudWatch Logs extracts the metrics (no API call, no agent, no wait). Metrics with a dimension
 * (the model) are also published without it, so an alarm or a graph can take all models at once. The namespace is
 * {@code METRICS_NAMESPACE} (the stack's own, from the template).
 *
 * <p>{@code Metrics.event().dimension("Model", "ideogram").count("PredictionsSucceeded").milliseconds(
 * "PredictionLatency", 5200).emit()}
 */
public final class Metrics {
    public static final String DEFAULT_NAMESPACE = "Imagine";
    private static final JsonFactory JSON = new JsonFactory();

    private Metrics() {
    }

    public static Event event() {
        return new Event();
    }

    /** The metrics of one event and their dimension. */
    public static final class Event {
        private final Map<String, String> dimensions = new LinkedHashMap<>();
        private final List<Value> values = new ArrayList<>();

        private record Value(String name, double value, String unit) {
        }

        private Event() {
        }

        public Event dimension(String name, String value) {
            dimensions.put(name, value);
            return this;
        }

        public Event count(String name) {
            return count(name, 1);
        }

        public Event count(String name, long count) {
            values.add(new Value(name, count, "Count"));
            return this;
        }

        public Event milliseconds(String name, long millis) {
            values.add(new Value(name, millis, "Milliseconds"));
            return this;
        }

        /** A value without a CloudWatch unit, such as dollars. */
        public Event value(String name, double value) {
            values.add(new Value(name, value, "None"));
            return this;
        }

        public void emit() {
            if (!values.isEmpty()) {
                // Above any application log level: metrics are not filtered out with the log lines.
                LogOutput.write(line(System.currentTimeMillis()), LogLevel.UNDEFINED);
            }
        }

        byte[] line(long timestamp) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            try (JsonGenerator json = JSON.createGenerator(out)) {
                json.writeStartObject();
                json.writeObjectFieldStart("_aws");
                json.writeNumberField("Timestamp", timestamp);
                json.writeArrayFieldStart("CloudWatchMetrics");
                json.writeStartObject();
                json.writeStringField("Namespace", namespace());
                json.writeArrayFieldStart("Dimensions");
                if (!dimensions.isEmpty()) {
                    json.writeStartArray();
                    for (String name : dimensions.keySet()) {
                        json.writeString(name);
                    }
                    json.writeEndArray();
                }
                json.writeStartArray();
                json.writeEndArray();
                json.writeEndArray();
                json.writeArrayFieldStart("Metrics");
                for (Value value : values) {
                    json.writeStartObject();
                    json.writeStringField("Name", value.name());
                    json.writeStringField("Unit", value.unit());
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
                json.writeEndArray();
                json.writeEndObject();
                for (Map.Entry<String, String> dimension : dimensions.entrySet()) {
                    json.writeStringField(dimension.getKey(), dimension.getValue());
                }
                for (Value value : values) {
                    if (value.value() == Math.rint(value.value())) {
                        json.writeNumberField(value.name(), (long) value.value());
                    } else {
                        json.writeNumberField(value.name(), value.value());
                    }
                }
                json.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.write('\n');
            return out.toByteArray();
        }
    }

    private static String namespace() {
        String namespace = Environment.variables().get("METRICS_NAMESPACE");
        return namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
    }
}
