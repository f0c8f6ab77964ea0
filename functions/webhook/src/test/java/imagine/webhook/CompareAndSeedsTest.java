package imagine.webhook;

import static com.amazonaws.services.lambda.runtime.tests.EventLoader.loadApiGatewayHttpEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import imagine.core.BlockedTerms;
import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.testing.LocalBucket;
import imagine.core.testing.TestContext;
import imagine.core.usage.Units;
import imagine.core.usage.UsageLedger;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /compare} and {@code --model all}: one job per image model, in the catalog's order, as one album, each with
 * the ratio asked for or the nearest its model takes, counted all or nothing. {@code --seed}: only for models that take
 * one, the images of {@code --n} on consecutive seeds.
 */
class CompareAndSeedsTest {
    private static final long ALICE = 1001;

    private final LocalBucket bucket = new LocalBucket();
    private final UsageLedger ledger = new UsageLedger(bucket.client(), LocalBucket.NAME, Clock.systemUTC());
    private final List<Job> enqueued = new CopyOnWriteArrayList<>();
    /** Each message its own update, as Telegram numbers them; the first is the sample's own. */
    private final AtomicLong updates = new AtomicLong(500_000);

    @AfterEach
    void close() {
        bucket.close();
    }

    private JsonNode reply(APIGatewayV2HTTPEvent event) throws Exception {
        return reply(event, 0);
    }

    private JsonNode reply(APIGatewayV2HTTPEvent event, int dailyImages) throws Exception {
        WebhookHandler handler = new WebhookHandler(new WebhookComponents(new WebhookSettings("local-webhook-secret",
                "imagine_local_bot", "ideogram", 1, Set.of(), Set.of(), BlockedTerms.NONE, new Units(dailyImages, 0)),
                Catalog.load(), enqueued::addAll, new S3UserState(bucket.client(), LocalBucket.NAME, ledger),
                edit -> { }, ResultLookup.NONE));
        String body = handler.answer(event, new TestContext()).getBody();
        return body.isEmpty() ? null : Json.MAPPER.readTree(body);
    }

    @Test
    void compareIsOneJobPerImageModelInTheCatalogsOrderSentAsOneAlbum() throws Exception {
        JsonNode reply = reply(text("/compare a lighthouse --ar 16:9", "en"));

        assertThat(enqueued).extracting(Job::model).containsExactly("ideogram", "seedream", "imagen");
        assertThat(enqueued).extracting(Job::jobId).containsExactly("500001-0-0", "500001-0-1", "500001-0-2");
        assertThat(enqueued).allSatisfy(job -> {
            assertThat(job.prompt()).isEqualTo("a lighthouse");
            assertThat(job.aspectRatio()).isEqualTo("16:9");
            assertThat(job.askedRatio()).isNull();
            assertThat(job.comparison()).isTrue();
            assertThat(job.albumSize()).isEqualTo(3);
            assertThat(job.albumId()).isEqualTo("500001-0");
            assertThat(job.seed()).isNull();
        });
        assertThat(enqueued).extracting(Job::position).containsExactly(1, 2, 3);
        assertThat(reply.get("text").asText()).isEqualTo("Got it: drawing with Ideogram v3 Turbo, Seedream 3, Imagen 4"
                + " Ultra at once. The pictures of each prompt arrive together as one album when the last is ready.");
        assertThat(ledger.used(ALICE)).as("one image per model").isEqualTo(new Units(3, 0));
    }

    @Test
    void aRatioAModelDoesNotTakeBecomesTheNearestItTakesAndTheJobSaysWhatWasAsked() throws Exception {
        reply(text("a harbour --ar 21:9 --model all", "en"));

        assertThat(enqueued).extracting(Job::model, Job::aspectRatio, Job::askedRatio).containsExactly(
                tuple("ideogram", "3:1", "21:9"),
                tuple("seedream", "21:9", null),
                tuple("imagen", "16:9", "21:9"));
        assertThat(enqueued).allSatisfy(job -> assertThat(job.comparison()).isTrue());
    }

    @Test
    void aComparisonLineAmongPromptsIsItsOwnAlbumAndTheOtherLinesAreDrawnAsUsual() throws Exception {
        reply(text("a fox\na harbour --model all", "en"));

        assertThat(enqueued).extracting(Job::jobId, Job::model, Job::albumSize, Job::comparison).containsExactly(
                tuple("500001-0-0", "ideogram", 0, false),
                tuple("500001-1-0", "ideogram", 3, true),
                tuple("500001-1-1", "seedream", 3, true),
                tuple("500001-1-2", "imagen", 3, true));
        assertThat(enqueued).extracting(Job::position).containsExactly(1, 2, 3, 4);
    }

    @Test
    void aComparisonIsCountedAllOrNothing() throws Exception {
        reply(text("a fox", "en"), 3);

        JsonNode refused = reply(text("/compare a lighthouse", "en"), 3);

        assertThat(refused.get("text").asText()).isEqualTo(
                "This message asks for 3 images, but only 2 left for today. Send fewer prompts or a smaller --n.");
        assertThat(enqueued).hasSize(1);
        assertThat(ledger.used(ALICE)).isEqualTo(new Units(1, 0));
    }

    @Test
    void inAGroupCompareIsACommandForThisBotOnly() throws Exception {
        reply(group("/compare@imagine_local_bot a castle made of clouds"));
        reply(group("/compare@other_bot a castle made of clouds"));

        assertThat(enqueued).hasSize(3).allSatisfy(job -> {
            assertThat(job.chatId()).isEqualTo(-100200300);
            assertThat(job.prompt()).isEqualTo("a castle made of clouds");
        });
    }

    @Test
    void whatDoesNotGoWithAComparisonIsExplainedAndNothingIsDrawn() throws Exception {
        assertThat(reply(text("/compare", "en")).get("text").asText()).startsWith("Write what to draw after /compare");
        assertThat(reply(text("/compare a fox --model seedream", "en")).get("text").asText())
                .isEqualTo("A comparison is drawn by every image model (Ideogram v3 Turbo, Seedream 3, Imagen 4 Ultra),"
                        + " so it takes no --model.");
        assertThat(reply(text("a fox --model all --n 2", "en")).get("text").asText())
                .isEqualTo("A comparison draws one picture per model, so it takes no --n.");
        assertThat(reply(text("/compare a fox --ar wide", "ru")).get("text").asText())
                .startsWith("--ar — это пропорции, например 16:9");
        assertThat(reply(photo("/compare make it snow")).get("text").asText())
                .startsWith("A comparison draws from words");
        assertThat(reply(text("/idea a winter city --model all", "en")).get("text").asText())
                .isEqualTo("--model all compares the models on a prompt of yours; for /idea, choose one: ideogram,"
                        + " seedream, imagen, kontext, seedance, kling.");
        assertThat(enqueued).isEmpty();
        assertThat(ledger.used(ALICE)).isEqualTo(Units.NONE);
    }

    @Test
    void seedsOfNImagesFollowEachOther() throws Exception {
        reply(text("a fox --seed 7 --n 2", "en"));

        assertThat(enqueued).extracting(Job::seed).containsExactly(7L, 8L);
    }

    @Test
    void aComparisonGivesTheSeedToEveryModelThatTakesOne() throws Exception {
        reply(text("/compare a fox --seed 42", "en"));

        assertThat(enqueued).extracting(Job::model, Job::seed).containsExactly(
                tuple("ideogram", 42L),
                tuple("seedream", 42L),
                tuple("imagen", null));
    }

    @Test
    void aSeedForAModelThatTakesNoneIsRefusedWithTheModelsThatDo() throws Exception {
        assertThat(reply(text("a fox --model imagen --seed 7", "en")).get("text").asText())
                .isEqualTo("Imagen 4 Ultra does not take --seed. Models that do: ideogram, seedream, kontext, seedance.");
        assertThat(reply(text("/video waves --model kling --seed 7", "ru")).get("text").asText())
                .isEqualTo("Kling 2.1 не принимает --seed. Сид принимают: ideogram, seedream, kontext, seedance.");
        assertThat(enqueued).isEmpty();
    }

    @Test
    void aSeedOutsideTheRangeAUserMayChooseIsRefused() throws Exception {
        String range = "--seed takes a whole number from 0 to 999999999";
        assertThat(reply(text("a fox --seed -1", "en")).get("text").asText()).startsWith(range);
        assertThat(reply(text("a fox --seed 1000000000", "en")).get("text").asText()).startsWith(range);
        assertThat(reply(text("a fox --seed seven", "en")).get("text").asText()).startsWith(range);
        assertThat(reply(text("a fox --seed 999999999 --n 2", "en")).get("text").asText())
                .as("the second image's seed would be past it").startsWith(range);
        assertThat(enqueued).isEmpty();

        reply(text("a fox --seed 999999999", "en"));
        assertThat(enqueued).singleElement().extracting(Job::seed).isEqualTo(Job.MAX_CHOSEN_SEED);
    }

    @Test
    void anIdeasSeedGoesOnItsPlanningJob() throws Exception {
        reply(text("/idea a winter city --seed 5 --n 3", "en"));

        assertThat(enqueued).singleElement().extracting(Job::seed).isEqualTo(5L);
    }

    @Test
    void helpTellsOfCompareSeedsAndUpscale() throws Exception {
        assertThat(reply(text("/help", "en")).get("text").asText()).contains(
                "/compare <prompt>: every image model draws it at once (Ideogram v3 Turbo, Seedream 3, Imagen 4 Ultra)",
                "--seed 42", "models that take a seed: ideogram, seedream, kontext, seedance", "🔍 Upscale");
        assertThat(reply(text("/help", "ru")).get("text").asText()).contains("/compare <запрос>", "--seed 42",
                "🔍 Увеличить");
    }

    private APIGatewayV2HTTPEvent text(String text, String language) throws Exception {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-private-text.json");
        ObjectNode update = (ObjectNode) Json.MAPPER.readTree(event.getBody());
        update.put("update_id", updates.incrementAndGet());
        ((ObjectNode) update.get("message")).put("text", text);
        ((ObjectNode) update.get("message").get("from")).put("language_code", language);
        event.setBody(Json.MAPPER.writeValueAsString(update));
        return event;
    }

    private static APIGatewayV2HTTPEvent group(String text) throws Exception {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-group-command.json");
        ObjectNode update = (ObjectNode) Json.MAPPER.readTree(event.getBody());
        ((ObjectNode) update.get("message")).put("text", text);
        event.setBody(Json.MAPPER.writeValueAsString(update));
        return event;
    }

    private static APIGatewayV2HTTPEvent photo(String caption) throws Exception {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-photo-caption.json");
        ObjectNode update = (ObjectNode) Json.MAPPER.readTree(event.getBody());
        ((ObjectNode) update.get("message")).put("caption", caption);
        event.setBody(Json.MAPPER.writeValueAsString(update));
        return event;
    }
}
