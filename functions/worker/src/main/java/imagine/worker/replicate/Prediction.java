package imagine.worker.replicate;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A prediction as Replicate describes it (create, get, list and its webhook all give this shape); {@code output}
 * is a URL, a list of URLs, or text pieces.
 *
 * @param input       what the prediction was made from: the list endpoint returns it too, which is how an
 *                    orphaned prediction is found again ({@link #input()} carries the job's seed or its image link)
 * @param dataRemoved Replicate deletes inputs and outputs of API predictions after about an hour
 * @param startedAt   null until the model started running: a prediction that never started cost nothing
 * @param completedAt null until it ended
 */
public record Prediction(String id, String model, JsonNode input, PredictionStatus status, JsonNode output,
                         JsonNode error, String createdAt, String startedAt, String completedAt, boolean dataRemoved) {

    public Prediction {
        status = status == null ? PredictionStatus.UNKNOWN : status;
    }

    public boolean isTerminal() {
        return status.isTerminal();
    }

    public boolean succeeded() {
        return status == PredictionStatus.SUCCEEDED;
    }

    public boolean started() {
        return startedAt != null;
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
        return createdAt == null ? null : OffsetDateTime.parse(createdAt).toInstant();
    }

    /** When it ended; null while it runs or when Replicate did not say. */
    public Instant completed() {
        return completedAt == null ? null : OffsetDateTime.parse(completedAt).toInstant();
    }

    public String errorText() {
        if (error == null || error.isNull()) {
            return "";
        }
        return error.isTextual() ? error.asText() : error.toString();
    }
}
