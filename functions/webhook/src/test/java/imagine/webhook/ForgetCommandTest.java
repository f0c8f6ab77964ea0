package imagine.webhook;

import static com.amazonaws.services.lambda.runtime.tests.EventLoader.loadApiGatewayHttpEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.Task;
import imagine.core.testing.TestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@code /forget}: the user sees what the bot keeps about them and for how long, and deletes it with a tap, which
 * becomes one job for a worker; a tap on "keep" deletes nothing. {@code /help} says what is kept too.
 */
class ForgetCommandTest {
    private static final long ALICE = 1001;

    private final List<Job> enqueued = new CopyOnWriteArrayList<>();
    private final List<MessageEdit> edits = new CopyOnWriteArrayList<>();
    private final WebhookHandler handler = new WebhookHandler(new WebhookComponents(new WebhookSettings(
            "local-webhook-secret", "imagine_local_bot", "ideogram", 1, Set.of(), Set.of()), Catalog.load(),
            enqueued::addAll, new UnlimitedUserState(), edits::add, ResultLookup.NONE));

    @Test
    void forgetSaysWhatIsKeptForHowLongAndOffersToDeleteIt() throws Exception {
        JsonNode reply = reply(message("/forget", "en"));

        assertThat(reply.get("method").asText()).isEqualTo("sendMessage");
        assertThat(reply.get("text").asText()).startsWith("What I keep about you:").contains(
                "your settings (/model, /settings): until you delete them", "3 days", "30 days", "1 day",
                "Job records", "7 days", "not kept per user", "Delete everything I keep about you now?");
        assertThat(buttons(reply)).containsExactly("🗑 Delete=1001:fg:yes", "Keep=1001:fg:no");
        assertThat(enqueued).isEmpty();

        JsonNode russian = reply(message("/forget", "ru"));
        assertThat(russian.get("text").asText()).startsWith("Что я храню о вас:").contains("30 дней");
        assertThat(buttons(russian)).containsExactly("🗑 Удалить=1001:fg:yes", "Оставить=1001:fg:no");
    }

    @Test
    void aTapOnDeleteIsOneForgetJobForTheTapperAndTheMessageSaysItIsUnderWay() throws Exception {
        APIGatewayV2HTTPEvent tap = tap(700_100, ALICE, "1001:fg:yes", "en");

        JsonNode toast = reply(tap);
        reply(tap);

        assertThat(toast.get("method").asText()).isEqualTo("answerCallbackQuery");
        assertThat(toast.get("text").asText()).isEqualTo("Deleting what I keep about you.");
        assertThat(enqueued).as("a redelivered tap is the same job").hasSize(2).allSatisfy(job -> {
            assertThat(job.jobId()).isEqualTo("700100-forget");
            assertThat(job.task()).isEqualTo(Task.FORGET);
            assertThat(job.userId()).isEqualTo(ALICE);
            assertThat(job.chatId()).isEqualTo(ALICE);
            assertThat(job.replyTo()).isEqualTo(21);
            assertThat(job.language()).isEqualTo("en");
            assertThat(job.quotaDay()).isNull();
        });
        assertThat(edits).first().satisfies(edit -> {
            assertThat(edit.messageId()).isEqualTo(21);
            assertThat(edit.text()).isEqualTo("Deleting everything I keep about you. I will say when it is done.");
            assertThat(edit.replyMarkup()).as("no buttons left to tap").isNull();
        });
    }

    @Test
    void aTapOnKeepDeletesNothingAndSaysSo() throws Exception {
        JsonNode toast = reply(tap(700_101, ALICE, "1001:fg:no", "ru"));

        assertThat(toast.get("text").asText()).isEqualTo("Ничего не удалено.");
        assertThat(enqueued).isEmpty();
        assertThat(edits).singleElement().satisfies(edit -> {
            assertThat(edit.text()).isEqualTo("Ничего не удалено: всё, что я храню о вас, на месте.");
            assertThat(edit.replyMarkup()).isNull();
        });
    }

    @Test
    void nobodyDeletesSomeoneElsesData() throws Exception {
        JsonNode toast = reply(tap(700_102, 1003, "1001:fg:yes", "en"));

        assertThat(toast.get("text").asText()).isEqualTo("These buttons belong to someone else. Send /forget for your own.");
        assertThat(enqueued).isEmpty();
        assertThat(edits).isEmpty();
    }

    @Test
    void helpSaysWhatIsKeptAndForHowLongInBothLanguages() throws Exception {
        assertThat(reply(message("/help", "en")).get("text").asText()).contains("What I keep about you:",
                "30 days", "Job records", "/forget");
        assertThat(reply(message("/help", "ru")).get("text").asText()).contains("Что я храню о вас:", "30 дней",
                "/forget");
    }

    private JsonNode reply(APIGatewayV2HTTPEvent event) throws Exception {
        return Json.MAPPER.readTree(handler.answer(event, new TestContext()).getBody());
    }

    private static List<String> buttons(JsonNode reply) {
        List<String> buttons = new ArrayList<>();
        reply.at("/reply_markup/inline_keyboard").forEach(row -> row.forEach(button ->
                buttons.add(button.get("text").asText() + "=" + button.get("callback_data").asText())));
        return buttons;
    }

    private static APIGatewayV2HTTPEvent message(String text, String language) throws Exception {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-private-text.json");
        ObjectNode update = (ObjectNode) Json.MAPPER.readTree(event.getBody());
        ObjectNode message = (ObjectNode) update.get("message");
        message.put("text", text);
        ((ObjectNode) message.get("from")).put("language_code", language);
        event.setBody(Json.MAPPER.writeValueAsString(update));
        return event;
    }

    private static APIGatewayV2HTTPEvent tap(long updateId, long userId, String data, String language) throws Exception {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-callback-query.json");
        ObjectNode update = (ObjectNode) Json.MAPPER.readTree(event.getBody());
        update.put("update_id", updateId);
        ObjectNode query = (ObjectNode) update.get("callback_query");
        query.put("data", data);
        ((ObjectNode) query.get("from")).put("id", userId).put("language_code", language);
        event.setBody(Json.MAPPER.writeValueAsString(update));
        return event;
    }
}
