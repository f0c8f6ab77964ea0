package imagine.webhook;

import static com.amazonaws.services.lambda.runtime.tests.EventLoader.loadApiGatewayHttpEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import imagine.core.BlockedTerms;
import imagine.core.Catalog;
import imagine.core.DeliveredResult;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.StorageKeys;
import imagine.core.testing.LocalBucket;
import imagine.core.testing.TestContext;
import imagine.core.usage.Units;
import imagine.core.usage.UsageLedger;
import imagine.local.s3.S3Faults.Operation;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The users' state in an S3-compatible store that fails on cue (the SDK tries four times, so four failures in a row
 * reach the webhook). Whatever fails, Telegram gets 200 and the user a short request to send it again; nothing is
 * enqueued or counted for it, and sending it again works. Only a failure to enqueue fails the invocation.
 */
class UserStateFailuresTest {
    private static final long ALICE = 1001;
    private static final int SDK_ATTEMPTS = 4;
    private static final String SEND_AGAIN = "I could not reach my storage just now, so I did nothing with this message."
            + " Please send it again in a minute.";

    private final LocalBucket bucket = new LocalBucket();
    private final UsageLedger ledger = new UsageLedger(bucket.client(), LocalBucket.NAME, Clock.systemUTC());
    private final S3UserState users = new S3UserState(bucket.client(), LocalBucket.NAME, ledger);
    private final List<Job> enqueued = new CopyOnWriteArrayList<>();
    private final List<MessageEdit> edits = new CopyOnWriteArrayList<>();
    private final AtomicLong updateIds = new AtomicLong(900_000);
    private final TestContext context = new TestContext();
    private final WebhookHandler handler = new WebhookHandler(new WebhookComponents(
            new WebhookSettings("local-webhook-secret", "imagine_local_bot", "ideogram", 1, Set.of(), Set.of(),
                    BlockedTerms.NONE, new Units(10, 0)),
            Catalog.load(), enqueued::addAll, users, edits::add, ResultLookup.s3(bucket.client(), LocalBucket.NAME)));

    @AfterEach
    void close() {
        bucket.close();
    }

    @Test
    void settingsThatCannotBeReadAskForThePromptAgainAndCountNothing() throws Exception {
        bucket.faults().failNext(Operation.GET, "users/", SDK_ATTEMPTS);

        JsonNode reply = answered(message("a fox", "en"));

        assertThat(reply.get("method").asText()).isEqualTo("sendMessage");
        assertThat(reply.get("text").asText()).isEqualTo(SEND_AGAIN);
        assertThat(enqueued).isEmpty();
        assertThat(ledger.used(ALICE)).isEqualTo(Units.NONE);
        assertThat(context.logs()).anySatisfy(line -> assertThat(line).contains("reading settings failed: S3 answered 500"));

        assertThat(answered(message("a fox", "en")).get("text").asText()).startsWith("Got it");
        assertThat(enqueued).hasSize(1);
    }

    @Test
    void aCountThatCannotBeWrittenIsNotCountedAndTheMessageSentAgainIsCountedOnce() throws Exception {
        bucket.faults().failNext(Operation.PUT, "usage/", SDK_ATTEMPTS);

        assertThat(answered(message("a fox --n 2", "ru")).get("text").asText())
                .isEqualTo("Не удалось обратиться к хранилищу, поэтому с этим сообщением я ничего не сделал."
                        + " Пришлите его ещё раз через минуту.");
        assertThat(enqueued).isEmpty();
        assertThat(ledger.used(ALICE)).isEqualTo(Units.NONE);

        answered(message("a fox --n 2", "ru"));
        assertThat(enqueued).hasSize(2);
        assertThat(ledger.used(ALICE)).isEqualTo(new Units(2, 0));
    }

    @Test
    void aCountStoredWhoseAnswerWasLostIsOneCountAndTheJobsGoOut() throws Exception {
        bucket.faults().failNextAfterWrite("usage/", SDK_ATTEMPTS);

        assertThat(answered(message("a fox --n 2", "en")).get("text").asText()).startsWith("Got it");

        assertThat(enqueued).hasSize(2);
        assertThat(ledger.used(ALICE)).isEqualTo(new Units(2, 0));
    }

    @Test
    void aSettingsTapThatCannotBeSavedAsksForTheTapAgainAndChangesNothing() throws Exception {
        bucket.faults().failNext(Operation.PUT, "users/", SDK_ATTEMPTS);

        JsonNode toast = answered(tap(ALICE + ":m:seedream", "en"));

        assertThat(toast.get("method").asText()).isEqualTo("answerCallbackQuery");
        assertThat(toast.get("text").asText())
                .isEqualTo("I could not reach my storage just now, so nothing changed. Please tap again in a minute.");
        assertThat(edits).isEmpty();
        assertThat(users.settings(ALICE)).isEqualTo(UserSettings.DEFAULTS);

        assertThat(answered(tap(ALICE + ":m:seedream", "en")).get("text").asText()).isEqualTo("Model: Seedream 3.");
        assertThat(users.settings(ALICE).model()).isEqualTo("seedream");
    }

    @Test
    void aResultThatCannotBeReadAsksForTheTapAgainAndCountsNothing() throws Exception {
        Job job = Job.builder().jobId("500001-0-0").replyingTo(ALICE, 10).user(ALICE, "ru").prompt("лиса")
                .model("seedream").aspectRatio("16:9").build();
        bucket.client().putObject(b -> b.bucket(LocalBucket.NAME).key(StorageKeys.result(ALICE, "500001-0-0")),
                RequestBody.fromBytes(Json.MAPPER.writeValueAsBytes(new DeliveredResult(job,
                        StorageKeys.media(ALICE, "500001-0-0", ".png"), "image/png", null))));
        bucket.faults().failNext(Operation.GET, "results/", SDK_ATTEMPTS);

        JsonNode toast = answered(tap(ALICE + ":ag:500001-0-0", "ru"));

        assertThat(toast.get("text").asText())
                .isEqualTo("Не удалось обратиться к хранилищу, поэтому ничего не изменилось. Нажмите ещё раз через минуту.");
        assertThat(enqueued).isEmpty();
        assertThat(ledger.used(ALICE)).isEqualTo(Units.NONE);

        answered(tap(ALICE + ":ag:500001-0-0", "ru"));
        assertThat(enqueued).singleElement().satisfies(again -> assertThat(again.prompt()).isEqualTo("лиса"));
    }

    @Test
    void aCancelThatCannotBeRecordedAsksForItAgain() throws Exception {
        bucket.faults().failNext(Operation.PUT, "users/", SDK_ATTEMPTS);

        assertThat(answered(message("/cancel", "en")).get("text").asText()).isEqualTo(SEND_AGAIN);

        assertThat(answered(message("/cancel", "en")).get("text").asText()).startsWith("Canceled");
    }

    private JsonNode answered(APIGatewayV2HTTPEvent event) throws Exception {
        APIGatewayV2HTTPResponse response = handler.answer(event, context);
        assertThat(response.getStatusCode()).isEqualTo(200);
        return Json.MAPPER.readTree(response.getBody());
    }

    private APIGatewayV2HTTPEvent message(String text, String language) throws Exception {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-private-text.json");
        ObjectNode update = (ObjectNode) Json.MAPPER.readTree(event.getBody());
        update.put("update_id", updateIds.incrementAndGet());
        ObjectNode message = (ObjectNode) update.get("message");
        message.put("text", text);
        ((ObjectNode) message.get("from")).put("language_code", language);
        event.setBody(Json.MAPPER.writeValueAsString(update));
        return event;
    }

    private APIGatewayV2HTTPEvent tap(String data, String language) throws Exception {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-callback-query.json");
        ObjectNode update = (ObjectNode) Json.MAPPER.readTree(event.getBody());
        update.put("update_id", updateIds.incrementAndGet());
        ObjectNode query = (ObjectNode) update.get("callback_query");
        query.put("data", data);
        ((ObjectNode) query.get("from")).put("language_code", language);
        event.setBody(Json.MAPPER.writeValueAsString(update));
        return event;
    }
}
