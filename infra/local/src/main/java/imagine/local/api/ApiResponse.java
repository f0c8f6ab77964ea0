package imagine.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** An HTTP response mapped from a function's payload-2.0 response, as API Gateway maps it. */
public record ApiResponse(int statusCode, List<Map.Entry<String, String>> headers, byte[] body) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static ApiResponse internalServerError() {
        return json(500, "{\"message\":\"Internal Server Error\"}");
    }

    public static ApiResponse notFound() {
        return json(404, "{\"message\":\"Not Found\"}");
    }

    static ApiResponse json(int status, String body) {
        return new ApiResponse(status, List.of(Map.entry("content-type", "application/json")),
                body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A response object with a statusCode is used as given; any other JSON value becomes a 200 whose body is that
     * value (a JSON string's text), as API Gateway infers for payload 2.0. A malformed response is a 500.
     */
    public static ApiResponse fromFunction(String payload) {
        JsonNode output;
        try {
            output = JSON.readTree(payload);
        } catch (Exception e) {
            return internalServerError();
        }
        if (output == null || !output.isObject() || !output.has("statusCode")) {
            String body = output != null && output.isTextual() ? output.asText() : payload;
            return json(200, body);
        }
        if (!output.get("statusCode").canConvertToInt()) {
            return internalServerError();
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        output.path("headers").fields().forEachRemaining(h -> headers.add(Map.entry(h.getKey(), h.getValue().asText())));
        output.path("multiValueHeaders").fields().forEachRemaining(
                h -> h.getValue().forEach(v -> headers.add(Map.entry(h.getKey(), v.asText()))));
        output.path("cookies").forEach(c -> headers.add(Map.entry("set-cookie", c.asText())));
        JsonNode bodyNode = output.get("body");
        String body = bodyNode == null || bodyNode.isNull() ? "" : bodyNode.asText();
        byte[] bytes;
        if (output.path("isBase64Encoded").asBoolean(false)) {
            try {
                bytes = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                return internalServerError();
            }
        } else {
            bytes = body.getBytes(StandardCharsets.UTF_8);
        }
        return new ApiResponse(output.get("statusCode").asInt(), headers, bytes);
    }
}
