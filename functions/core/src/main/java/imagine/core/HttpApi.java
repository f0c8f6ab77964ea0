package imagine.core;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Requests and responses of API Gateway's HTTP API (payload format 2.0), the same way for every HTTP function:
 * header names compared without case (API Gateway lower-cases them, a test or another proxy may not), bodies
 * decoded from base64 when API Gateway says they are. A function that reads its event from Lambda's stream
 * ({@link #read}, {@link #write}) spares its cold start Lambda's event serialization library, about half a second.
 */
public final class HttpApi {
    private HttpApi() {
    }

    /** The header's value, whatever the case of its name; empty when it is absent. */
    public static Optional<String> header(APIGatewayV2HTTPEvent event, String name) {
        Map<String, String> headers = event.getHeaders();
        if (headers == null) {
            return Optional.empty();
        }
        return headers.entrySet().stream()
                .filter(header -> header.getKey() != null && header.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** The query string parameter's value; empty when it is absent. */
    public static Optional<String> query(APIGatewayV2HTTPEvent event, String name) {
        Map<String, String> query = event.getQueryStringParameters();
        return query == null ? Optional.empty() : Optional.ofNullable(query.get(name));
    }

    /** The body's bytes as the client sent them; empty when a body said to be base64 is not. */
    public static Optional<byte[]> body(APIGatewayV2HTTPEvent event) {
        String body = event.getBody() == null ? "" : event.getBody();
        if (!event.getIsBase64Encoded()) {
            return Optional.of(body.getBytes(StandardCharsets.UTF_8));
        }
        try {
            return Optional.of(Base64.getDecoder().decode(body));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The parts of an event this project reads: headers, query string, body and whether the body is base64. */
    public static APIGatewayV2HTTPEvent read(InputStream input) throws IOException {
        JsonNode event = Json.MAPPER.readTree(input);
        if (event == null || !event.isObject()) {
            throw new IOException("not an API Gateway HTTP event");
        }
        return APIGatewayV2HTTPEvent.builder()
                .withHeaders(strings(event.get("headers")))
                .withQueryStringParameters(strings(event.get("queryStringParameters")))
                .withRawQueryString(event.path("rawQueryString").asText(null))
                .withBody(event.path("body").asText(null))
                .withIsBase64Encoded(event.path("isBase64Encoded").asBoolean(false))
                .build();
    }

    /** The response as API Gateway reads it from a function. */
    public static void write(APIGatewayV2HTTPResponse response, OutputStream output) throws IOException {
        ObjectNode json = Json.MAPPER.createObjectNode().put("statusCode", response.getStatusCode());
        if (response.getHeaders() != null) {
            ObjectNode headers = json.putObject("headers");
            response.getHeaders().forEach(headers::put);
        }
        json.put("body", response.getBody());
        json.put("isBase64Encoded", response.getIsBase64Encoded());
        output.write(Json.MAPPER.writeValueAsBytes(json));
    }

    private static Map<String, String> strings(JsonNode object) {
        if (object == null || !object.isObject()) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        object.fields().forEachRemaining(field -> values.put(field.getKey(), field.getValue().asText()));
        return values;
    }

    public static APIGatewayV2HTTPResponse json(int status, String body) {
        return respond(status, "application/json", body);
    }

    public static APIGatewayV2HTTPResponse text(int status, String body) {
        return respond(status, "text/plain; charset=utf-8", body);
    }

    private static APIGatewayV2HTTPResponse respond(int status, String contentType, String body) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(Map.of("content-type", contentType))
                .withBody(body)
                .build();
    }
}
