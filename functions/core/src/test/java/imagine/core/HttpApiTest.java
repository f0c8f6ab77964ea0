package imagine.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpApiTest {

    @Test
    void anEventReadFromLambdasStreamKeepsWhatTheFunctionsRead() throws Exception {
        String json = """
                {"version":"2.0","routeKey":"POST /replicate","rawPath":"/replicate","rawQueryString":"job=7-0-0",
                 "headers":{"Webhook-Id":"msg_1","content-type":"application/json"},
                 "queryStringParameters":{"job":"7-0-0"},
                 "requestContext":{"http":{"method":"POST"},"timeEpoch":1764000000000},
                 "body":"eyJpZCI6InAxIn0=","isBase64Encoded":true}
                """;

        APIGatewayV2HTTPEvent event = HttpApi.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));

        assertThat(HttpApi.header(event, "webhook-id")).contains("msg_1");
        assertThat(HttpApi.query(event, "job")).contains("7-0-0");
        assertThat(HttpApi.body(event)).hasValueSatisfying(body ->
                assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"p1\"}"));
    }

    @Test
    void aResponseIsWrittenAsApiGatewayReadsIt() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        HttpApi.write(HttpApi.text(401, "unauthorized"), output);

        JsonNode response = Json.MAPPER.readTree(output.toByteArray());
        assertThat(response.get("statusCode").asInt()).isEqualTo(401);
        assertThat(response.at("/headers/content-type").asText()).isEqualTo("text/plain; charset=utf-8");
        assertThat(response.get("body").asText()).isEqualTo("unauthorized");
        assertThat(response.get("isBase64Encoded").asBoolean()).isFalse();
    }
}
