package imagine.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/** A function's structured log line as one line a person reads: time, level, function, message, then the fields. */
final class Readable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final Set<String> SHOWN_FIRST = Set.of("timestamp", "level", "message", "AWSRequestId");

    private Readable() {
    }

    static String line(String function, JsonNode document) {
        StringBuilder line = new StringBuilder(head(document.path("level").asText("INFO"), function))
                .append(document.path("message").asText());
        document.fields().forEachRemaining(field -> {
            if (!SHOWN_FIRST.contains(field.getKey())) {
                JsonNode value = field.getValue();
                line.append(' ').append(field.getKey()).append('=')
                        .append(value.isTextual() ? value.asText() : value.toString());
            }
        });
        return line.toString();
    }

    static String plain(String function, String level, String text) {
        return head(level.equals("UNDEFINED") ? "INFO" : level, function) + text;
    }

    private static String head(String level, String function) {
        return LocalTime.now().format(TIME) + " " + String.format("%-5s", level) + " " + function + ": ";
    }
}
