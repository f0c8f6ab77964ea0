package imagine.local.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imagine.local.lambda.InvocationResult;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.sqs.model.Message;

/** Which messages of a batch succeeded, read from the function's result as Lambda reads it. */
final class BatchOutcome {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BatchOutcome() {
    }

    /** The messages to delete; none when the invocation failed or its batchItemFailures are not valid. */
    static List<Message> succeeded(List<Message> batch, InvocationResult result, boolean reportBatchItemFailures) {
        if (result.failed()) {
            return List.of();
        }
        if (!reportBatchItemFailures) {
            return batch;
        }
        Set<String> failed = failedIds(result.payload(), batch);
        if (failed == null) {
            return List.of();
        }
        return batch.stream().filter(m -> !failed.contains(m.messageId())).toList();
    }

    /** The ids listed as failures; null when the response is malformed or names an id not in the batch. */
    private static Set<String> failedIds(String payload, List<Message> batch) {
        JsonNode response;
        try {
            response = JSON.readTree(payload);
        } catch (Exception e) {
            return null;
        }
        Set<String> failed = new HashSet<>();
        if (response == null || response.isNull()) {
            return failed;
        }
        if (!response.isObject()) {
            return null;
        }
        JsonNode failures = response.get("batchItemFailures");
        if (failures == null || failures.isNull()) {
            return failed;
        }
        if (!failures.isArray()) {
            return null;
        }
        Set<String> ids = new HashSet<>();
        batch.forEach(m -> ids.add(m.messageId()));
        for (JsonNode failure : failures) {
            String id = failure.path("itemIdentifier").asText("");
            if (id.isEmpty() || !ids.contains(id)) {
                return null;
            }
            failed.add(id);
        }
        return failed;
    }
}
