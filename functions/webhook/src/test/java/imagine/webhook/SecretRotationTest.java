package imagine.webhook;

import static com.amazonaws.services.lambda.runtime.tests.EventLoader.loadApiGatewayHttpEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.testing.TestContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** While the webhook secret is rotated (TELEGRAM_WEBHOOK_SECRET=NEW,OLD) no update is refused on either side of setWebhook. */
class SecretRotationTest {
    private static final String OLD = "local-webhook-secret";
    private static final String NEW = "new-webhook-secret-2";

    private final List<Job> enqueued = new CopyOnWriteArrayList<>();

    private WebhookHandler handler(String setting) {
        WebhookSettings settings = new WebhookSettings(setting, "imagine_local_bot", "ideogram", 1, Set.of(), Set.of());
        return new WebhookHandler(new WebhookComponents(settings, Catalog.load(), enqueued::addAll,
                new UnlimitedUserState(), edit -> { }, ResultLookup.NONE));
    }

    private int status(WebhookHandler handler, String secret) {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-private-text.json");
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put(WebhookHandler.SECRET_HEADER, secret);
        event.setHeaders(headers);
        return handler.answer(event, new TestContext()).getStatusCode();
    }

    @Test
    void duringTheSwitchUpdatesWithTheOldOrTheNewSecretAreHandled() {
        WebhookHandler rotating = handler(NEW + "," + OLD);

        assertThat(status(rotating, OLD)).as("sent before setWebhook took the new secret").isEqualTo(200);
        assertThat(status(rotating, NEW)).as("sent after").isEqualTo(200);
        assertThat(enqueued).hasSize(2);
        assertThat(status(rotating, "another-secret-value")).isEqualTo(401);
        assertThat(status(rotating, NEW + "," + OLD)).as("the setting itself is not a secret").isEqualTo(401);
    }

    @Test
    void afterTheSwitchOnlyTheNewSecretIsAccepted() {
        WebhookHandler switched = handler(NEW);

        assertThat(status(switched, NEW)).isEqualTo(200);
        assertThat(status(switched, OLD)).isEqualTo(401);
    }
}
