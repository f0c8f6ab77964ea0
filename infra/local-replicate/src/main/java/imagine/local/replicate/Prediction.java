package imagine.local.replicate;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An immutable snapshot of one prediction. */
public record Prediction(String id, String model, String version, Map<String, Object> input,
                         Status status, Object output, String error, String logs,
                         Instant createdAt, Instant startedAt, Instant completedAt,
                         String webhook, List<String> webhookEventsFilter) {

    public enum Status {
        STARTING, PROCESSING, SUCCEEDED, FAILED, CANCELED;

        public boolean terminal() {
            return this == SUCCEEDED || this == FAILED || this == CANCELED;
        }

        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Prediction {
        input = Collections.unmodifiableMap(new LinkedHashMap<>(input));
        webhookEventsFilter = List.copyOf(webhookEventsFilter);
    }

    static Prediction starting(String id, String model, String version, Map<String, Object> input,
                               Instant now, String webhook, List<String> webhookEventsFilter) {
        return new Prediction(id, model, version, input, Status.STARTING, null, null, "", now, null, null,
            webhook, webhookEventsFilter);
    }

    Prediction processing(Instant now, String logs) {
        return new Prediction(id, model, version, input, Status.PROCESSING, null, null, logs, createdAt, now,
            null, webhook, webhookEventsFilter);
    }

    Prediction finished(Status terminal, Object output, String error, Instant now) {
        return new Prediction(id, model, version, input, terminal, output, error, logs, createdAt,
            startedAt == null ? now : startedAt, now, webhook, webhookEventsFilter);
    }

    /** Seconds between start and completion, or null while running. */
    Double predictTime() {
        if (completedAt == null || startedAt == null) {
            return null;
        }
        return Duration.between(startedAt, completedAt).toNanos() / 1e9;
    }
}
