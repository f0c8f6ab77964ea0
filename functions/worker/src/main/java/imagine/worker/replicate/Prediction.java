package imagine.worker.replicate;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A prediction as Replicate describes it; {@code output} is a URL, a list of URLs, or text pieces. */
public record Prediction(String id, String model, JsonNode input, String status, JsonNode output, JsonNode error,
                         String createdAt) {

    public boolean isTerminal() {
        return "succeeded".equals(status) || "failed".equals(status) || "canceled".equals(status);
    }

    public boolean succeeded() {
        return "succeeded".equals(status);
    }

    public List<String> outputUrls() {
        List<String> urls = new ArrayList<>();
        if (output != null && output.isTextual()) {
            urls.add(output.asText());
        } else if (output != null && output.isArray()) {
            output.forEach(item -> urls.add(item.asText()));
        }
        return urls;
    }

    /** A language model's answer: Replicate gives it as a list of text pieces (or one string) to join. */
    public String outputText() {
        if (output == null || output.isNull()) {
            return "";
        }
        if (!output.isArray()) {
            return output.asText();
        }
        StringBuilder text = new StringBuilder();
        output.forEach(piece -> text.append(piece.asText()));
        return text.toString();
    }

    /** When Replicate created it; null when it did not say. */
    public Instant created() {
        return createdAt == null ? null : Instant.parse(createdAt);
    }

    public String errorText() {
        if (error == null || error.isNull()) {
            return "";
        }
        return error.isTextual() ? error.asText() : error.toString();
    }
}
