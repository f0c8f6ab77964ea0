package imagine.core;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Requests and responses of API Gateway's HTTP API (payload format 2.0), the same way for every HTTP function:
 * header names compared without case (API Gateway lower-cases them, a test or another proxy may not), bodies
 * decoded from base64 when API Gateway says they are.
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
