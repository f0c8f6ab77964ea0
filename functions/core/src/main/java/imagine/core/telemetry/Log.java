package imagine.core.telemetry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Structured log lines: each one JSON object with Lambda's own {@code timestamp}, {@code level}, {@code message} and
 * {@code AWSRequestId}, and the fields an operator filters by ({@code update_id}, {@code job_id}, {@code user_id},
 * {@code model}, {@code prediction_id}, {@code stage}, {@code duration_ms}, ...). With the function's JSON log format
 * Lambda keeps the line as it is, so CloudWatch Logs Insights finds every field as a field. Never give a field a
 * token, a secret or a URL that holds one.
 *
 * <p>A {@code Log} carries fields for every line it writes: {@code Log.of("job_id", id).info("delivered",
 * "duration_ms", 120)}. Fields come as name, value pairs; a null value is left out.
 */
public final class Log {
    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Map<String, Object> fields;

    private Log(Map<String, Object> fields) {
        this.fields = fields;
    }

    /** Lines written from now on belong to this invocation: call first in every handler. */
    public static void attach(Context context) {
        LogOutput.attach(context);
    }

    /** Lines go to {@code logger} outside any invocation (the local platform gives each environment its own). */
    public static void use(LambdaLogger logger) {
        LogOutput.use(logger);
    }

    public static Log of(Object... fields) {
        return new Log(Map.of()).and(fields);
    }

    /** The same log with more fields. */
    public Log and(Object... more) {
        Map<String, Object> all = new LinkedHashMap<>(fields);
        put(all, more);
        return new Log(all);
    }

    public void info(String message, Object... more) {
        write(LogLevel.INFO, message, null, more);
    }

    public void warn(String message, Object... more) {
        write(LogLevel.WARN, message, null, more);
    }

    /** What failed is named by its type and message (never a stack trace: a message may be enough to act on). */
    public void warn(String message, Throwable failure, Object... more) {
        write(LogLevel.WARN, message, failure, more);
    }

    public void error(String message, Object... more) {
        write(LogLevel.ERROR, message, null, more);
    }

    public void error(String message, Throwable failure, Object... more) {
        write(LogLevel.ERROR, message, failure, more);
    }

    private void write(LogLevel level, String message, Throwable failure, Object[] more) {
        Map<String, Object> line = new LinkedHashMap<>(fields);
        put(line, more);
        if (failure != null) {
            line.put("error", failure.getClass().getSimpleName());
            line.put("error_message", failure.getMessage());
        }
        LogOutput.write(line(level, message, line), level);
    }

    private static byte[] line(LogLevel level, String message, Map<String, Object> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("timestamp", TIMESTAMP.format(Instant.now()));
            json.writeStringField("level", level.name());
            json.writeStringField("message", message);
            String requestId = LogOutput.requestId();
            if (requestId != null) {
                json.writeStringField("AWSRequestId", requestId);
            }
            for (Map.Entry<String, Object> field : fields.entrySet()) {
                writeValue(json, field.getKey(), field.getValue());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    static void writeValue(JsonGenerator json, String name, Object value) throws IOException {
        if (value instanceof Integer || value instanceof Long) {
            json.writeNumberField(name, ((Number) value).longValue());
        } else if (value instanceof Number number) {
            json.writeNumberField(name, number.doubleValue());
        } else if (value instanceof Boolean bool) {
            json.writeBooleanField(name, bool);
        } else {
            json.writeStringField(name, String.valueOf(value));
        }
    }

    private static void put(Map<String, Object> into, Object[] pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("fields come as name, value pairs");
        }
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                into.put((String) pairs[i], pairs[i + 1]);
            }
        }
    }
}
