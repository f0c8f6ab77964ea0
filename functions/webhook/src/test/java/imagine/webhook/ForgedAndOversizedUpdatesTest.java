package imagine.webhook;

import static com.amazonaws.services.lambda.runtime.tests.EventLoader.loadApiGatewayHttpEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import imagine.core.BlockedTerms;
import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.testing.TestContext;
import imagine.core.usage.Units;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ForgedAndOversizedUpdatesTest {
    private static final String SECRET = "local-webhook-secret";
    private static final Duration FAST = Duration.ofSeconds(5);

    private final List<Job> enqueued = new CopyOnWriteArrayList<>();
    private final WebhookHandler handler = new WebhookHandler(new WebhookComponents(
            new WebhookSettings(SECRET, "imagine_local_bot", "ideogram", 1, Set.of(), Set.of(), BlockedTerms.NONE, Units.NONE), Catalog.load(),
            enqueued::addAll, new UnlimitedUserState(), edit -> { }, ResultLookup.NONE));

    @Test
    void aSecretDifferingOnlyInItsLastByteIsRefusedAndEnqueuesNothing() {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-private-text.json");
        event.getHeaders().put(WebhookHandler.SECRET_HEADER, SECRET.substring(0, SECRET.length() - 1) + "u");

        assertThat(handler.answer(event, new TestContext()).getStatusCode()).isEqualTo(401);
        assertThat(enqueued).isEmpty();
    }

    @Test
    void aFiveMegabyteBodyIsAnsweredQuicklyWith200() {
        String body = "{\"update_id\": 7, \"message\": {\"text\": \"" + "ы".repeat(5 * 1024 * 1024 / 2) + "\"}}";

        assertThat(handleQuickly(body).getStatusCode()).isEqualTo(200);
        assertThat(enqueued).isEmpty();
    }

    @Test
    void aFiveMegabytePromptInAPrivateChatIsExplainedNotEnqueued() {
        String body = loadApiGatewayHttpEvent("telegram-private-text.json").getBody()
                .replace("a red fox in the snow, watercolour", "fox ".repeat(5 * 1024 * 1024 / 4));

        APIGatewayV2HTTPResponse response = handleQuickly(body);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getBody()).contains("sendMessage");
        assertThat(enqueued).isEmpty();
    }

    @Test
    void jsonNestedAHundredThousandDeepIsAnsweredQuicklyWith200() {
        int depth = 100_000;
        String body = "{\"update_id\": 7, \"message\": " + "[".repeat(depth) + "]".repeat(depth) + "}";

        assertThat(handleQuickly(body).getStatusCode()).isEqualTo(200);
        assertThat(handleQuickly("{\"a\":".repeat(depth) + "1" + "}".repeat(depth)).getStatusCode()).isEqualTo(200);
        assertThat(enqueued).isEmpty();
    }

    @Test
    void aMessageOfTheWrongTypeIsIgnoredWith200() {
        APIGatewayV2HTTPResponse response = handleQuickly("{\"update_id\": 7, \"message\": \"x\"}");

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getBody()).isEmpty();
        assertThat(enqueued).isEmpty();
    }

    private APIGatewayV2HTTPResponse handleQuickly(String body) {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-private-text.json");
        event.setBody(body);
        return assertTimeoutPreemptively(FAST, () -> handler.answer(event, new TestContext()));
    }
}
