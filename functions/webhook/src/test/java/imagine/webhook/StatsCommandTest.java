package imagine.webhook;

import static com.amazonaws.services.lambda.runtime.tests.EventLoader.loadApiGatewayHttpEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import imagine.core.BlockedTerms;
import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.Task;
import imagine.core.testing.LocalBucket;
import imagine.core.testing.TestContext;
import imagine.core.usage.Units;
import imagine.core.usage.UsageLedger;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /stats}: an admin's is a task the worker answers with today's numbers; anyone else is told it is not theirs. */
class StatsCommandTest {
    private static final long ADMIN = 1;

    private final LocalBucket bucket = new LocalBucket();
    private final List<Job> enqueued = new CopyOnWriteArrayList<>();
    private final WebhookHandler handler = new WebhookHandler(new WebhookComponents(
            new WebhookSettings("local-webhook-secret", "imagine_local_bot", "ideogram", 1, Set.of(), Set.of(ADMIN),
                    BlockedTerms.NONE, Units.NONE),
            Catalog.load(), enqueued::addAll, new S3UserState(bucket.client(), LocalBucket.NAME,
                    new UsageLedger(bucket.client(), LocalBucket.NAME, Clock.systemUTC())), edit -> { },
            ResultLookup.NONE));

    @AfterEach
    void close() {
        bucket.close();
    }

    @Test
    void anAdminsStatsIsOneTaskForTheWorkerAnsweringTheCommand() throws Exception {
        send(41, ADMIN, "/stats");

        assertThat(enqueued).singleElement().satisfies(job -> {
            assertThat(job.task()).isEqualTo(Task.STATS);
            assertThat(job.chatId()).isEqualTo(ADMIN);
            assertThat(job.quotaDay()).as("not counted against anyone's day").isNull();
        });
    }

    @Test
    void anyoneElseIsToldItIsForTheAdminsAndNothingIsDone() throws Exception {
        JsonNode reply = send(42, 2002, "/stats");

        assertThat(reply.get("text").asText()).isEqualTo("/stats is for the bot's admins.");
        assertThat(enqueued).isEmpty();
    }

    private JsonNode send(long updateId, long userId, String text) throws Exception {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-private-text.json");
        ObjectNode update = (ObjectNode) Json.MAPPER.readTree(event.getBody());
        update.put("update_id", updateId);
        ObjectNode message = (ObjectNode) update.get("message");
        message.put("text", text);
        ((ObjectNode) message.get("from")).put("id", userId).put("language_code", "en");
        ((ObjectNode) message.get("chat")).put("id", userId);
        event.setBody(Json.MAPPER.writeValueAsString(update));
        return Json.MAPPER.readTree(handler.answer(event, new TestContext()).getBody());
    }
}
