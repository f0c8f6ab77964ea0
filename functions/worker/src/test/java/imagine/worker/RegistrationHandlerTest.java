package imagine.worker;

import static com.amazonaws.services.lambda.runtime.tests.EventLoader.loadCloudFormationCustomResourceEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.CloudFormationCustomResourceEvent;
import com.fasterxml.jackson.databind.JsonNode;
import imagine.core.Json;
import imagine.core.testing.TestContext;
import imagine.worker.replicate.ReplicateClient;
import imagine.worker.telegram.TelegramClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegistrationHandlerTest {
    private final MockWebServer telegram = new MockWebServer();
    private final MockWebServer replicate = new MockWebServer();
    private final MockWebServer cloudFormation = new MockWebServer();
    private final OkHttpClient http = new OkHttpClient();
    private RegistrationHandler handler;

    @BeforeEach
    void start() throws IOException {
        telegram.start();
        replicate.start();
        cloudFormation.start();
        handler = handler("test-webhook-secret");
    }

    private RegistrationHandler handler(String secretSetting) {
        return new RegistrationHandler(
                new Registration(new TelegramClient(http, telegram.url("/").toString(), "0000:test-token")),
                new ReplicateClient(http, replicate.url("/").toString(), "test-replicate-token"), http,
                RegistrationHandler.currentSecret(secretSetting));
    }

    @AfterEach
    void stop() {
        telegram.close();
        replicate.close();
        cloudFormation.close();
    }

    private CloudFormationCustomResourceEvent event(String type) {
        CloudFormationCustomResourceEvent event = loadCloudFormationCustomResourceEvent("cloudformation-register-create.json");
        event.setRequestType(type);
        event.setResponseUrl(cloudFormation.url("/response?X-Amz-Signature=abc").toString());
        return event;
    }

    @Test
    void createSetsTheWebhookWithItsSecretAndTheMenusThenReportsSuccess() throws Exception {
        for (int i = 0; i < 3; i++) {
            telegram.enqueue(new MockResponse.Builder().body("{\"ok\":true,\"result\":true}").build());
        }
        cloudFormation.enqueue(new MockResponse.Builder().build());

        handler.handleRequest(event("Create"), new TestContext());

        JsonNode setWebhook = body(telegram.takeRequest());
        assertThat(setWebhook.get("url").asText()).isEqualTo("http://127.0.0.1:3000/telegram");
        assertThat(setWebhook.get("secret_token").asText()).isEqualTo("test-webhook-secret");
        assertThat(setWebhook.get("allowed_updates").toString()).isEqualTo("[\"message\",\"callback_query\"]");
        JsonNode english = body(telegram.takeRequest());
        assertThat(english.get("commands")).extracting(command -> command.get("command").asText())
                .containsExactly("imagine", "compare", "video", "idea", "write", "model", "settings", "usage", "cancel", "forget", "help",
                        "start");
        JsonNode russian = body(telegram.takeRequest());
        assertThat(russian.get("language_code").asText()).isEqualTo("ru");
        assertThat(russian.get("commands").findValuesAsText("description"))
                .contains("Придумать запросы по идее и нарисовать каждый", "Написать пост, подпись или описание");

        RecordedRequest answer = cloudFormation.takeRequest();
        assertThat(answer.getMethod()).isEqualTo("PUT");
        assertThat(answer.getHeaders().get("Content-Type")).isNull();
        JsonNode status = body(answer);
        assertThat(status.get("Status").asText()).isEqualTo("SUCCESS");
        assertThat(status.get("LogicalResourceId").asText()).isEqualTo("TelegramWebhook");
        assertThat(status.get("RequestId").asText()).isEqualTo("a7c1e2f0-5e4b-4a57-9b1c-000000000001");
    }

    @Test
    void aTelegramRefusalFailsTheDeployInsteadOfHangingIt() throws Exception {
        telegram.enqueue(new MockResponse.Builder().code(401)
                .body("{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}").build());
        cloudFormation.enqueue(new MockResponse.Builder().build());

        handler.handleRequest(event("Update"), new TestContext());

        JsonNode status = body(cloudFormation.takeRequest());
        assertThat(status.get("Status").asText()).isEqualTo("FAILED");
        assertThat(status.get("Reason").asText()).isEqualTo("setWebhook: 401 Unauthorized");
    }

    @Test
    void deleteRemovesTheWebhook() throws Exception {
        telegram.enqueue(new MockResponse.Builder().body("{\"ok\":true,\"result\":true}").build());
        cloudFormation.enqueue(new MockResponse.Builder().build());

        handler.handleRequest(event("Delete"), new TestContext());

        assertThat(telegram.takeRequest().getUrl().encodedPath()).endsWith("/deleteWebhook");
        assertThat(body(cloudFormation.takeRequest()).get("Status").asText()).isEqualTo("SUCCESS");
    }

    @Test
    void whileTheSecretIsRotatedTelegramIsGivenTheNewOne() throws Exception {
        for (int i = 0; i < 3; i++) {
            telegram.enqueue(new MockResponse.Builder().body("{\"ok\":true,\"result\":true}").build());
        }
        cloudFormation.enqueue(new MockResponse.Builder().build());

        handler("new-webhook-secret,test-webhook-secret").handleRequest(event("Update"), new TestContext());

        assertThat(body(telegram.takeRequest()).get("secret_token").asText()).isEqualTo("new-webhook-secret");
    }

    @Test
    void theSigningSecretIsReadFromReplicateAndHandedToTheStackMasked() throws Exception {
        replicate.enqueue(new MockResponse.Builder().body("{\"key\":\"whsec_c2lnbmluZw==\"}").build());
        cloudFormation.enqueue(new MockResponse.Builder().build());

        handler.handleRequest(signingSecretEvent("Create"), new TestContext());

        RecordedRequest asked = replicate.takeRequest();
        assertThat(asked.getMethod()).isEqualTo("GET");
        assertThat(asked.getUrl().encodedPath()).isEqualTo("/v1/webhooks/default/secret");
        assertThat(asked.getHeaders().get("Authorization")).isEqualTo("Bearer test-replicate-token");
        JsonNode answer = body(cloudFormation.takeRequest());
        assertThat(answer.get("Status").asText()).isEqualTo("SUCCESS");
        assertThat(answer.get("PhysicalResourceId").asText()).isEqualTo("replicate-signing-secret");
        assertThat(answer.at("/Data/Key").asText()).isEqualTo("whsec_c2lnbmluZw==");
        assertThat(answer.get("NoEcho").asBoolean()).as("masked wherever CloudFormation shows it").isTrue();
        assertThat(telegram.getRequestCount()).as("Telegram is not involved").isZero();
    }

    @Test
    void aReplicateRefusalFailsTheDeployWithoutTheToken() throws Exception {
        replicate.enqueue(new MockResponse.Builder().code(401)
                .body("{\"detail\":\"Invalid token.\",\"status\":401}").build());
        cloudFormation.enqueue(new MockResponse.Builder().build());

        handler.handleRequest(signingSecretEvent("Update"), new TestContext());

        JsonNode answer = body(cloudFormation.takeRequest());
        assertThat(answer.get("Status").asText()).isEqualTo("FAILED");
        assertThat(answer.get("Reason").asText()).isEqualTo("get webhook signing secret: 401 Invalid token.");
        assertThat(answer.has("Data")).isFalse();
    }

    @Test
    void deletingTheSigningSecretAsksNobody() throws Exception {
        cloudFormation.enqueue(new MockResponse.Builder().build());

        handler.handleRequest(signingSecretEvent("Delete"), new TestContext());

        assertThat(body(cloudFormation.takeRequest()).get("Status").asText()).isEqualTo("SUCCESS");
        assertThat(replicate.getRequestCount()).isZero();
        assertThat(telegram.getRequestCount()).isZero();
    }

    private CloudFormationCustomResourceEvent signingSecretEvent(String type) {
        CloudFormationCustomResourceEvent event = event(type);
        event.setResourceType(RegistrationHandler.REPLICATE_SIGNING_SECRET);
        event.setLogicalResourceId("ReplicateSigningSecret");
        event.setResourceProperties(Map.of("ServiceToken", event.getServiceToken()));
        return event;
    }

    private static JsonNode body(RecordedRequest request) throws IOException {
        return Json.MAPPER.readTree(request.getBody().string(StandardCharsets.UTF_8));
    }
}
