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
import imagine.core.testing.TestContext;
import imagine.core.usage.Units;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@code /idea} and {@code /write} become one planning job each; typed prompts meet the blocked terms first. */
class PlanningCommandsTest {
    private final List<Job> enqueued = new CopyOnWriteArrayList<>();
    private final WebhookHandler handler = new WebhookHandler(new WebhookComponents(new WebhookSettings("local-webhook-secret",
            "imagine_local_bot", "ideogram", 2, Set.of(), Set.of(), BlockedTerms.parse("gore, blood bath"), Units.NONE),
            Catalog.load(), enqueued::addAll, new UnlimitedUserState(), edit -> { }, ResultLookup.NONE));

    private JsonNode reply(APIGatewayV2HTTPEvent event) throws Exception {
        return Json.MAPPER.readTree(handler.answer(event, new TestContext()).getBody());
    }

    @Test
    void anIdeaIsOnePlanningJobWithItsOptionsAndTheAcknowledgementRidesInTheResponse() throws Exception {
        JsonNode reply = reply(loadApiGatewayHttpEvent("telegram-private-idea.json"));

        assertThat(enqueued).singleElement().satisfies(job -> {
            assertThat(job.jobId()).isEqualTo("500011-idea");
            assertThat(job.task()).isEqualTo(Task.IDEA);
            assertThat(job.prompt()).isEqualTo("a cosy winter city");
            assertThat(job.model()).isEqualTo("ideogram");
            assertThat(job.aspectRatio()).isEqualTo("16:9");
            assertThat(job.total()).isEqualTo(3);
            assertThat(job.language()).isEqualTo("en");
            assertThat(job.replyTo()).isEqualTo(11);
        });
        assertThat(reply.get("text").asText()).isEqualTo("Got it: writing 3 prompts from your idea, then drawing them"
                + " with Ideogram v3 Turbo. Each picture arrives here as soon as it is ready, with the prompt it came"
                + " from.");
    }

    @Test
    void anIdeaWithoutNTakesTheConfiguredImagesPerPromptAndAnotherModel() throws Exception {
        reply(withText("/idea@imagine_local_bot город в бутылке --model seedream", "ru"));

        assertThat(enqueued).singleElement().satisfies(job -> {
            assertThat(job.total()).isEqualTo(2);
            assertThat(job.model()).isEqualTo("seedream");
            assertThat(job.language()).isEqualTo("ru");
        });
    }

    @Test
    void aWriteRequestIsOnePlanningJobInTheUsersLanguage() throws Exception {
        JsonNode reply = reply(loadApiGatewayHttpEvent("telegram-write-ru.json"));

        assertThat(enqueued).singleElement().satisfies(job -> {
            assertThat(job.jobId()).isEqualTo("500012-write");
            assertThat(job.task()).isEqualTo(Task.WRITE);
            assertThat(job.prompt()).isEqualTo("короткий пост о нашей новой кофейне");
            assertThat(job.language()).isEqualTo("ru");
        });
        assertThat(reply.get("text").asText()).isEqualTo("Принято: пишу. Текст придёт сюда через несколько секунд.");
    }

    @Test
    void anEmptyIdeaOrWriteGetsAnExampleAndNoJob() throws Exception {
        assertThat(reply(withText("/idea", "en")).get("text").asText()).startsWith("Write your idea after /idea");
        assertThat(reply(withText("/idea --n 2", "en")).get("text").asText()).startsWith("Write your idea after /idea");
        assertThat(reply(withText("/write   ", "ru")).get("text").asText()).startsWith("Напишите после /write");
        assertThat(enqueued).isEmpty();
    }

    @Test
    void aWrongOptionOfAnIdeaIsExplainedLikeAPrompts() throws Exception {
        assertThat(reply(withText("/idea a fox --n 9", "en")).get("text").asText())
                .isEqualTo("--n takes a number from 1 to 4.");
        assertThat(reply(withText("/idea a fox --model llama", "en")).get("text").asText())
                .startsWith("There is no model \"llama\". Models: ideogram, seedream, imagen");
        assertThat(enqueued).isEmpty();
    }

    @Test
    void aTypedPromptIdeaOrRequestWithABlockedTermIsRefusedWithNoJob() throws Exception {
        assertThat(reply(withText("a knight\na field of GORE", "en")).get("text").asText())
                .isEqualTo("I can't take \"a field of GORE\": it contains \"gore\", which this bot does not draw or"
                        + " write about.");
        assertThat(reply(withText("/imagine a blood-bath", "en")).get("text").asText()).contains("\"blood bath\"");
        assertThat(reply(withText("/idea a gore festival", "ru")).get("text").asText())
                .isEqualTo("Не могу взять «a gore festival»: там есть «gore», а такое этот бот не рисует и не пишет.");
        assertThat(reply(withText("/write a poem about gore", "en")).get("text").asText()).startsWith("I can't take");
        assertThat(enqueued).isEmpty();
    }

    @Test
    void aBlockedTermSpelledToSlipPastIsRefusedToo() throws Exception {
        for (String evasion : List.of("a field of g.o.r.e", "a field of g\u200Bore", "/idea a g\u043Ere festival",
                "/imagine ｇｏｒｅ", "/write a poem about g o r e", "a BLOOD-BATHS scene")) {
            assertThat(reply(withText(evasion, "en")).get("text").asText()).as(evasion).startsWith("I can't take");
        }
        assertThat(enqueued).isEmpty();
    }

    @Test
    void helpNamesTheNewCommands() throws Exception {
        assertThat(reply(withText("/help", "en")).get("text").asText()).contains("/idea <idea>", "/write <request>");
        assertThat(reply(withText("/help", "ru")).get("text").asText()).contains("/idea <идея>", "/write <просьба>");
    }

    private static APIGatewayV2HTTPEvent withText(String text, String language) throws Exception {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-private-text.json");
        JsonNode update = Json.MAPPER.readTree(event.getBody());
        ((ObjectNode) update.get("message")).put("text", text);
        ((ObjectNode) update.get("message").get("from")).put("language_code", language);
        event.setBody(Json.MAPPER.writeValueAsString(update));
        return event;
    }
}
