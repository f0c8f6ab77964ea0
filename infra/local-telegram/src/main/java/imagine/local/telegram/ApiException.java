package imagine.local.telegram;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A Bot API error answered as {"ok":false,"error_code":...,"description":...,"parameters":...}. */
final class ApiException extends RuntimeException {
    private final int errorCode;
    private final ObjectNode parameters;

    ApiException(int errorCode, String description, ObjectNode parameters) {
        super(description, null, false, false);
        this.errorCode = errorCode;
        this.parameters = parameters;
    }

    static ApiException badRequest(String reason) {
        return new ApiException(400, "Bad Request: " + reason, null);
    }

    int errorCode() {
        return errorCode;
    }

    String description() {
        return getMessage();
    }

    ObjectNode toJson() {
        ObjectNode body = Json.object();
        body.put("ok", false);
        body.put("error_code", errorCode);
        body.put("description", getMessage());
        if (parameters != null && !parameters.isEmpty()) {
            body.set("parameters", parameters);
        }
        return body;
    }
}
