package imagine.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiEventsTest {

    private static JsonNode event(String contentType, byte[] body, String query) {
        ApiEvents.Request request = new ApiEvents.Request("POST", "/telegram", query, List.of(
                Map.entry("Host", "127.0.0.1:3000"),
                Map.entry("Content-Type", contentType),
                Map.entry("User-Agent", "test-agent"),
                Map.entry("X-Dup", "a"),
                Map.entry("x-dup", "b")), body, "HTTP/1.1", "127.0.0.1");
        return ApiEvents.event(request, "POST /telegram", Map.of(), "000000000000", "local");
    }

    @Test
    void hasThePayloadTwoShape() {
        JsonNode e = event("application/json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), null);
        assertThat(e.get("version").asText()).isEqualTo("2.0");
        assertThat(e.get("routeKey").asText()).isEqualTo("POST /telegram");
        assertThat(e.get("rawPath").asText()).isEqualTo("/telegram");
        assertThat(e.get("rawQueryString").asText()).isEmpty();
        assertThat(e.has("queryStringParameters")).isFalse();
        assertThat(e.has("cookies")).isFalse();
        assertThat(e.get("headers").get("x-dup").asText()).isEqualTo("a,b");
        assertThat(e.get("headers").get("content-type").asText()).isEqualTo("application/json");
        assertThat(e.get("body").asText()).isEqualTo("{\"a\":1}");
        assertThat(e.get("isBase64Encoded").asBoolean()).isFalse();
        JsonNode context = e.get("requestContext");
        assertThat(context.get("accountId").asText()).isEqualTo("000000000000");
        assertThat(context.get("apiId").asText()).isEqualTo("local");
        assertThat(context.get("domainName").asText()).isEqualTo("127.0.0.1:3000");
        assertThat(context.get("stage").asText()).isEqualTo("$default");
        assertThat(context.get("routeKey").asText()).isEqualTo("POST /telegram");
        assertThat(context.get("requestId").asText()).isNotBlank();
        assertThat(context.get("time").asText()).matches("\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000");
        assertThat(context.get("timeEpoch").asLong()).isPositive();
        JsonNode http = context.get("http");
        assertThat(http.get("method").asText()).isEqualTo("POST");
        assertThat(http.get("path").asText()).isEqualTo("/telegram");
        assertThat(http.get("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(http.get("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(http.get("userAgent").asText()).isEqualTo("test-agent");
    }

    @Test
    void textualTypesStayTextAndOthersAreBase64() {
        assertThat(event("text/plain; charset=utf-8", "hi".getBytes(), null).get("body").asText()).isEqualTo("hi");
        assertThat(event("application/x-www-form-urlencoded", "a=b".getBytes(), null).get("isBase64Encoded")
                .asBoolean()).isFalse();
        JsonNode binary = event("image/png", new byte[] {1, 2, 3}, "x=1&x=2&y");
        assertThat(binary.get("isBase64Encoded").asBoolean()).isTrue();
        assertThat(binary.get("body").asText()).isEqualTo("AQID");
        assertThat(binary.get("queryStringParameters").get("x").asText()).isEqualTo("1,2");
        assertThat(binary.get("queryStringParameters").get("y").asText()).isEmpty();
    }

    @Test
    void responsesMapAsApiGatewayMapsThem() {
        ApiResponse plain = ApiResponse.fromFunction("{\"ok\":true}");
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(new String(plain.body())).isEqualTo("{\"ok\":true}");
        assertThat(new String(ApiResponse.fromFunction("\"text\"").body())).isEqualTo("text");
        ApiResponse structured = ApiResponse.fromFunction(
                "{\"statusCode\":401,\"headers\":{\"x\":\"y\"},\"cookies\":[\"a=b\"],\"body\":\"no\"}");
        assertThat(structured.statusCode()).isEqualTo(401);
        assertThat(structured.headers()).contains(Map.entry("x", "y"), Map.entry("set-cookie", "a=b"));
        assertThat(new String(structured.body())).isEqualTo("no");
        assertThat(ApiResponse.fromFunction("not json").statusCode()).isEqualTo(500);
    }
}
