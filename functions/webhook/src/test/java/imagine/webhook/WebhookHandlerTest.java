package imagine.webhook;

import static com.amazonaws.services.lambda.runtime.tests.EventLoader.loadApiGatewayHttpEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import imagine.core.BlockedTerms;
import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.testing.TestContext;
import imagine.core.usage.Units;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookHandlerTest {
    private final List<Job> enqueued = new CopyOnWriteArrayList<>();
    private final TestContext context = new TestContext();

    private WebhookHandler handler(int imagesPerPrompt, Set<Long> allowed) {
        WebhookSettings settings = new WebhookSettings("local-webhook-secret", "imagine_local_bot", "ideogram",
                imagesPerPrompt, allowed, Set.of());
        return new WebhookHandler(new WebhookComponents(settings, Catalog.load(), enqueued::addAll, new UnlimitedUserState(), edit -> { }, ResultLookup.NONE));
    }

    private APIGatewayV2HTTPResponse handle(String eventFile) {
        return handler(1, Set.of()).answer(loadApiGatewayHttpEvent(eventFile), context);
    }

    private static JsonNode reply(APIGatewayV2HTTPResponse response) throws Exception {
        return Json.MAPPER.readTree(response.getBody());
    }

    @Test
    void privateTextIsOnePromptAnsweredInTheResponseBody() throws Exception {
        APIGatewayV2HTTPResponse response = handle("telegram-private-text.json");

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(enqueued).singleElement().satisfies(job -> {
            assertThat(job.jobId()).isEqualTo("500001-0-0");
            assertThat(job.prompt()).isEqualTo("a red fox in the snow, watercolour");
            assertThat(job.chatId()).isEqualTo(1001);
            assertThat(job.replyTo()).isEqualTo(11);
            assertThat(job.model()).isEqualTo("ideogram");
            assertThat(job.aspectRatio()).isEqualTo("1:1");
            assertThat(job.position()).isEqualTo(1);
            assertThat(job.total()).isEqualTo(1);
        });
        JsonNode reply = reply(response);
        assertThat(reply.get("method").asText()).isEqualTo("sendMessage");
        assertThat(reply.get("chat_id").asLong()).isEqualTo(1001);
        assertThat(reply.at("/reply_parameters/message_id").asLong()).isEqualTo(11);
        assertThat(reply.get("text").asText()).contains("Ideogram v3 Turbo");
    }

    @Test
    void lambdasStreamIsReadAndAnsweredAsApiGatewayExpects() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (InputStream event = WebhookHandlerTest.class.getResourceAsStream("/telegram-private-text.json")) {
            handler(1, Set.of()).handleRequest(event, output, context);
        }

        JsonNode response = Json.MAPPER.readTree(output.toByteArray());
        assertThat(response.get("statusCode").asInt()).isEqualTo(200);
        assertThat(response.at("/headers/content-type").asText()).isEqualTo("application/json");
        assertThat(response.get("isBase64Encoded").asBoolean()).isFalse();
        assertThat(Json.MAPPER.readTree(response.get("body").asText()).get("chat_id").asLong()).isEqualTo(1001);
        assertThat(enqueued).extracting(Job::prompt).containsExactly("a red fox in the snow, watercolour");
    }

    @Test
    void eachLineIsAPromptAndEachPromptGetsItsImages() throws Exception {
        APIGatewayV2HTTPResponse response = handler(2, Set.of())
                .answer(loadApiGatewayHttpEvent("telegram-several-lines.json"), context);

        assertThat(enqueued).extracting(Job::jobId).containsExactly(
                "500002-0-0", "500002-0-1", "500002-1-0", "500002-1-1", "500002-2-0", "500002-2-1");
        assertThat(enqueued).extracting(Job::position).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(enqueued).allSatisfy(job -> assertThat(job.total()).isEqualTo(6));
        assertThat(enqueued.get(0).prompt()).isEqualTo("рыжая лиса в снегу");
        assertThat(enqueued).allSatisfy(job -> assertThat(job.language()).isEqualTo("ru"));
        assertThat(reply(response).get("text").asText()).isEqualTo(
                "Принято: 3 запроса, 6 картинок, модель Ideogram v3 Turbo. Каждая придёт сюда, как только будет готова.");
    }

    @Test
    void moreThanTenLinesTakesTenAndSaysSo() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 14; i++) {
            text.append("prompt ").append(i).append("\n\n");
        }
        APIGatewayV2HTTPResponse response = handler(1, Set.of()).answer(withText(text.toString()), context);

        assertThat(enqueued).hasSize(10);
        assertThat(enqueued.get(9).prompt()).isEqualTo("prompt 10");
        assertThat(reply(response).get("text").asText()).contains("I took the first 10 lines; you sent 14.");
    }

    @Test
    void optionsInAPromptPickModelAspectRatioAndCount() throws Exception {
        APIGatewayV2HTTPResponse response = handler(1, Set.of()).answer(withText(
                "a fox --model seedream --ar 21:9 --n 2\na harbour at night --ar 16:9"), context);

        assertThat(enqueued).extracting(Job::prompt, Job::model, Job::aspectRatio).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a fox", "seedream", "21:9"),
                org.assertj.core.groups.Tuple.tuple("a fox", "seedream", "21:9"),
                org.assertj.core.groups.Tuple.tuple("a harbour at night", "ideogram", "16:9"));
        assertThat(reply(response).get("text").asText())
                .isEqualTo("Got it: 2 prompts, 3 images with Seedream 3, Ideogram v3 Turbo. Each arrives here as soon as it is ready.");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "a fox --model dalle | There is no model \"dalle\". Models: ideogram, seedream, imagen, kontext, seedance, kling.",
            "a fox --model imagen --ar 21:9 | Imagen 4 Ultra does not take --ar 21:9. It takes: 1:1, 16:9, 9:16, 4:3, 3:4.",
            "a fox --n 9 | --n takes a number from 1 to 4.",
            "a fox --style anime | I don't know the option --style. Options are --model, --ar, --n and --seed.",
            "a fox --ar | The option --ar needs a value, for example --ar 16:9."})
    void wrongOptionsGetAReplyListingTheValidValues(String text, String expected) throws Exception {
        assertThat(reply(handler(1, Set.of()).answer(withText(text), context)).get("text").asText())
                .isEqualTo(expected);
        assertThat(enqueued).isEmpty();
    }

    @Test
    void groupCommandForThisBotIsAcceptedAndForAnotherBotIgnored() throws Exception {
        APIGatewayV2HTTPResponse mine = handle("telegram-group-command.json");
        assertThat(enqueued).singleElement().satisfies(job -> {
            assertThat(job.prompt()).isEqualTo("a castle made of clouds");
            assertThat(job.chatId()).isEqualTo(-100200300);
        });
        assertThat(reply(mine).get("chat_id").asLong()).isEqualTo(-100200300);

        enqueued.clear();
        APIGatewayV2HTTPResponse other = handle("telegram-group-other-bot.json");
        assertThat(other.getStatusCode()).isEqualTo(200);
        assertThat(other.getBody()).isEmpty();
        assertThat(enqueued).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"telegram-edited-message.json", "telegram-member-update.json"})
    void updatesTheBotDoesNotHandleGet200AndNothingElse(String eventFile) {
        APIGatewayV2HTTPResponse response = handle(eventFile);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getBody()).isEmpty();
        assertThat(enqueued).isEmpty();
    }

    @Test
    void wrongOrMissingSecretIs401AndEnqueuesNothing() {
        assertThat(handle("telegram-wrong-secret.json").getStatusCode()).isEqualTo(401);

        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-private-text.json");
        event.getHeaders().remove(WebhookHandler.SECRET_HEADER);
        assertThat(handler(1, Set.of()).answer(event, context).getStatusCode()).isEqualTo(401);
        assertThat(enqueued).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"update_id\": 7, \"message\": {\"message_id\": \"x\"", "[1,2,3]", "{}",
            "{\"update_id\": \"many\"}", "{\"update_id\": 9, \"message\": 42}", "null", ""})
    void bodiesThatAreNotUpdatesGet200AndOneLogLine(String body) {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-private-text.json");
        event.setBody(body);

        APIGatewayV2HTTPResponse response = handler(1, Set.of()).answer(event, context);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(enqueued).isEmpty();
        assertThat(context.logs()).hasSize(1);
    }

    @Test
    void startAndHelpAnswerInTheUsersLanguage() throws Exception {
        JsonNode start = reply(handle("telegram-start-ru.json"));
        assertThat(start.get("text").asText()).startsWith("Привет, Борис!");
        assertThat(enqueued).isEmpty();

        JsonNode help = reply(handler(1, Set.of()).answer(withText("/help"), context));
        assertThat(help.get("text").asText()).startsWith("How to use me").contains("Ideogram v3 Turbo");
    }

    @Test
    void emptyImagineAndOverlongPromptsGetAnExplanationNotAJob() throws Exception {
        assertThat(reply(handler(1, Set.of()).answer(withText("/imagine   "), context)).get("text").asText())
                .startsWith("Write what to draw after /imagine");
        assertThat(reply(handler(1, Set.of()).answer(withText("x".repeat(2001)), context)).get("text").asText())
                .contains("2001 characters");
        assertThat(enqueued).isEmpty();
    }

    @Test
    void usersOutsideTheAllowListArePolitelyRefused() throws Exception {
        JsonNode refusal = reply(handler(1, Set.of(42L))
                .answer(loadApiGatewayHttpEvent("telegram-private-text.json"), context));

        assertThat(refusal.get("text").asText()).contains("this bot is private").contains("1001");
        assertThat(enqueued).isEmpty();
    }

    @Test
    void aFailureToEnqueueIsAnErrorSoTelegramDeliversTheUpdateAgain() {
        WebhookSettings settings = new WebhookSettings("local-webhook-secret", "imagine_local_bot", "ideogram", 1,
                Set.of(), Set.of(), BlockedTerms.NONE, Units.NONE);
        WebhookHandler failing = new WebhookHandler(new WebhookComponents(settings, Catalog.load(), jobs -> {
            throw new IllegalStateException("SQS is unreachable");
        }, new UnlimitedUserState(), edit -> { }, ResultLookup.NONE));

        assertThatThrownBy(() -> failing.answer(loadApiGatewayHttpEvent("telegram-private-text.json"), context))
                .hasMessageContaining("SQS is unreachable");
    }

    @Test
    void aBase64BodyIsReadLikeAPlainOne() {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-private-text.json");
        event.setBody(Base64.getEncoder().encodeToString(event.getBody().getBytes(StandardCharsets.UTF_8)));
        event.setIsBase64Encoded(true);

        handler(1, Set.of()).answer(event, context);

        assertThat(enqueued).extracting(Job::prompt).containsExactly("a red fox in the snow, watercolour");
    }

    private static APIGatewayV2HTTPEvent withText(String text) throws Exception {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-private-text.json");
        JsonNode update = Json.MAPPER.readTree(event.getBody());
        ((com.fasterxml.jackson.databind.node.ObjectNode) update.get("message")).put("text", text);
        event.setBody(Json.MAPPER.writeValueAsString(update));
        return event;
    }
}
