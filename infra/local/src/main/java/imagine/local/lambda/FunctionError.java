package imagine.local.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A failed invocation as Lambda reports it. */
public record FunctionError(String errorType, String errorMessage) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("errorMessage", errorMessage);
        node.put("errorType", errorType);
        return node.toString();
    }
}
