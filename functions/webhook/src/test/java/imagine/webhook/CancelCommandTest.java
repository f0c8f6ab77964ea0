package imagine.webhook;

import static com.amazonaws.services.lambda.runtime.tests.EventLoader.loadApiGatewayHttpEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.Task;
import imagine.core.Json;
import imagine.core.testing.TestContext;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@code /cancel} marks the user's jobs up to this update as canceled, enqueues nothing and says what happens. */
class CancelCommandTest {
    private final List<Job> enqueued = new CopyOnWriteArrayList<>();
    private final UnlimitedUserState users = new UnlimitedUserState();
    private final WebhookHandler handler = new WebhookHandler(new WebhookComponents(new WebhookSettings("local-webhook-secret",
            "imagine_local_bot", "ideogram", 1, Set.of(), Set.of()), Catalog.load(), enqueued::addAll, users,
            edit -> { }, ResultLookup.NONE));

    private static APIGatewayV2HTTPEvent cancel(String language) throws Exception {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-private-text.json");
        ObjectNode update = (ObjectNode) Json.MAPPER.readTree(event.getBody());
        ((ObjectNode) update.get("message")).put("text", "/cancel");
        ((ObjectNode) update.get("message").get("from")).put("language_code", language);
        event.setBody(Json.MAPPER.writeValueAsString(update));
        return event;
    }

    @Test
    void cancelMarksEverythingUpToThisUpdateEnqueuesATaskThatStopsWhatRunsAndAnswersInTheUsersLanguage()
            throws Exception {
        JsonNode reply = Json.MAPPER.readTree(handler.answer(cancel("ru"), new TestContext()).getBody());

        assertThat(users.canceledThrough).containsEntry(1001L, 500001L);
        assertThat(enqueued).singleElement().satisfies(task -> {
            assertThat(task.task()).isEqualTo(Task.CANCEL);
            assertThat(task.jobId()).isEqualTo("500001-cancel");
            assertThat(task.userId()).isEqualTo(1001L);
        });
        assertThat(reply.get("text").asText()).startsWith("Отменено:");
    }
}
