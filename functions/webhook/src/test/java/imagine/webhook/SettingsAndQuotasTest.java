package imagine.webhook;

import static com.amazonaws.services.lambda.runtime.tests.EventLoader.loadApiGatewayHttpEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import imagine.core.BlockedTerms;
import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.Model;
import imagine.core.Texts;
import imagine.core.testing.LocalBucket;
import imagine.core.testing.TestContext;
import imagine.core.usage.Units;
import imagine.core.usage.UsageLedger;
import imagine.local.s3.S3Requests;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** /model, /settings, /usage, menu taps and daily quotas, with users' state in a real S3-compatible store. */
class SettingsAndQuotasTest {
    private static final long ALICE = 1001;
    private static final long ADMIN = 1002;
    private static final long OUTSIDER = 666;
    private static final Catalog CATALOG = Catalog.load();

    private final LocalBucket bucket = new LocalBucket();
    private final UsageLedger ledger = new UsageLedger(bucket.client(), LocalBucket.NAME, Clock.systemUTC());
    private final S3UserState users = new S3UserState(bucket.client(), LocalBucket.NAME, ledger);
    private final List<Job> enqueued = new CopyOnWriteArrayList<>();
    private final List<MessageEdit> edits = new CopyOnWriteArrayList<>();
    private final TestContext context = new TestContext();
    private final AtomicLong updateIds = new AtomicLong(600_000);
    private MessageEditor editor = edits::add;

    @AfterEach
    void close() {
        bucket.close();
    }

    private WebhookHandler handler(int dailyImages, Set<Long> allowed) {
        WebhookSettings settings = new WebhookSettings("local-webhook-secret", "imagine_local_bot", "ideogram", 1,
                allowed, Set.of(ADMIN), BlockedTerms.NONE, new Units(dailyImages, 0));
        return new WebhookHandler(new WebhookComponents(settings, CATALOG, enqueued::addAll, users, edit -> editor.edit(edit), ResultLookup.NONE));
    }

    private WebhookHandler handler() {
        return handler(0, Set.of());
    }

    @Test
    void modelShowsTheCatalogByKindWithTheCurrentOneMarkedAndATapSavesItAndEditsTheMenu() throws Exception {
        JsonNode menu = reply(handler().answer(message(ALICE, "/model", "en"), context));

        assertThat(menu.get("method").asText()).isEqualTo("sendMessage");
        assertThat(menu.get("text").asText()).contains("Model for your prompts: Ideogram v3 Turbo",
                "Images: Ideogram v3 Turbo, Seedream 3, Imagen 4 Ultra", "Image edits: FLUX.1 Kontext Pro",
                "Videos: Seedance 1 Lite, Kling 2.1");
        assertThat(labels(menu)).containsExactly("✅ Ideogram v3 Turbo", "Seedream 3", "Imagen 4 Ultra",
                "FLUX.1 Kontext Pro", "Seedance 1 Lite", "Kling 2.1");

        JsonNode toast = reply(handler().answer(tap(ALICE, data(menu, "Seedream 3"), "en"), context));

        assertThat(toast.get("method").asText()).isEqualTo("answerCallbackQuery");
        assertThat(toast.get("callback_query_id").asText()).isEqualTo("4382bfdwdsb323b2d9");
        assertThat(toast.get("text").asText()).isEqualTo("Model: Seedream 3.");
        assertThat(edits).singleElement().satisfies(edit -> {
            assertThat(edit.chatId()).isEqualTo(ALICE);
            assertThat(edit.messageId()).isEqualTo(21);
            assertThat(edit.text()).contains("Model for your prompts: Seedream 3");
            assertThat(edit.replyMarkup().inlineKeyboard().get(0).get(1).text()).isEqualTo("✅ Seedream 3");
        });
        handler().answer(message(ALICE, "a fox", "en"), context);
        assertThat(enqueued).extracting(Job::model, Job::aspectRatio).containsExactly(Tuple.tuple("seedream", "1:1"));
    }

    @Test
    void settingsOfferOnlyTheRatiosOfTheCurrentModelAndPromptsUseWhatWasTapped() throws Exception {
        users.changeSettings(ALICE, stored -> stored.withModel(CATALOG.get("imagen")));
        JsonNode menu = reply(handler().answer(message(ALICE, "/settings", "en"), context));

        assertThat(menu.get("text").asText()).contains("Model: Imagen 4 Ultra", "Aspect ratio: 1:1",
                "Images per prompt: 1", "Sent as: Photo");
        assertThat(labels(menu)).containsExactly("✅ 1:1", "16:9", "9:16", "4:3", "3:4",
                "✅ ×1", "×2", "×3", "×4", "✅ Photo", "File (full size)", "✅ One by one", "As an album");

        assertThat(reply(handler().answer(tap(ALICE, data(menu, "16:9"), "en"), context)).get("text").asText())
                .isEqualTo("Aspect ratio: 16:9.");
        assertThat(reply(handler().answer(tap(ALICE, data(menu, "×3"), "en"), context)).get("text").asText())
                .isEqualTo("Images per prompt: 3.");
        assertThat(reply(handler().answer(tap(ALICE, data(menu, "File (full size)"), "en"), context))
                .get("text").asText()).isEqualTo("Images come as files, full size.");
        assertThat(edits).hasSize(3);
        assertThat(edits.get(2).text()).contains("Aspect ratio: 16:9", "Images per prompt: 3", "Sent as: File (full size)");

        handler().answer(message(ALICE, "a fox\na wolf --model ideogram --ar 3:1 --n 1", "en"), context);

        assertThat(enqueued).extracting(Job::prompt, Job::model, Job::aspectRatio, Job::asFile).containsExactly(
                Tuple.tuple("a fox", "imagen", "16:9", true),
                Tuple.tuple("a fox", "imagen", "16:9", true),
                Tuple.tuple("a fox", "imagen", "16:9", true),
                Tuple.tuple("a wolf", "ideogram", "3:1", true));
    }

    @Test
    void aModelThatDoesNotTakeTheChosenRatioFallsBackToItsDefaultAndSaysSo() throws Exception {
        users.changeSettings(ALICE, stored -> stored.withModel(CATALOG.get("seedream")).withAspectRatio("21:9"));

        JsonNode toast = reply(handler().answer(tap(ALICE, ALICE + ":m:imagen", "ru"), context));

        assertThat(toast.get("text").asText())
                .isEqualTo("Модель: Imagen 4 Ultra. Imagen 4 Ultra не принимает 21:9, поэтому пропорции теперь 1:1.");
        assertThat(users.settings(ALICE)).isEqualTo(new UserSettings("imagen", null, 0, false));

        reply(handler().answer(tap(ALICE, ALICE + ":m:seedream", "en"), context));
        handler().answer(message(ALICE, "a fox", "en"), context);
        assertThat(enqueued).extracting(Job::aspectRatio).containsExactly("1:1");
    }

    @Test
    void aPromptOptionOutsideTheSavedModelStillGetsTheClearReply() throws Exception {
        users.changeSettings(ALICE, stored -> stored.withModel(CATALOG.get("imagen")));

        assertThat(reply(handler().answer(message(ALICE, "a fox --ar 21:9", "en"), context)).get("text").asText())
                .isEqualTo("Imagen 4 Ultra does not take --ar 21:9. It takes: 1:1, 16:9, 9:16, 4:3, 3:4.");
        assertThat(enqueued).isEmpty();
    }

    @Test
    void someoneElsesMenuStaleButtonsAndChoicesNoLongerOfferedAreAnsweredAndChangeNothing() throws Exception {
        JsonNode notYours = reply(handler().answer(tap(ALICE, "1003:m:seedream", "en"), context));
        assertThat(notYours.get("method").asText()).isEqualTo("answerCallbackQuery");
        assertThat(notYours.get("text").asText()).isEqualTo(
                "These buttons belong to someone else. Send /settings for your own.");

        JsonNode stale = reply(handler().answer(loadApiGatewayHttpEvent("telegram-callback-query.json"), context));
        assertThat(stale.get("text").asText()).isEqualTo("This button is out of date. Send /settings or /model again.");
        for (String data : List.of(ALICE + ":n:9", ALICE + ":o:pdf", ALICE + ":x:1", ALICE + ":m:", "")) {
            assertThat(reply(handler().answer(tap(ALICE, data, "en"), context)).get("text").asText())
                    .as(data).startsWith("This button is out of date");
        }
        assertThat(edits).isEmpty();
        assertThat(users.settings(ALICE)).isEqualTo(UserSettings.DEFAULTS);

        JsonNode gone = reply(handler().answer(tap(ALICE, ALICE + ":m:dalle", "en"), context));
        assertThat(gone.get("text").asText()).isEqualTo("That model is no longer offered; the list is up to date now.");
        assertThat(edits).singleElement().satisfies(edit -> assertThat(edit.text()).contains("Ideogram v3 Turbo"));

        JsonNode ratio = reply(handler().answer(tap(ALICE, ALICE + ":ar:21:9", "en"), context));
        assertThat(ratio.get("text").asText())
                .isEqualTo("Ideogram v3 Turbo does not take 21:9; the menu now shows the ratios it takes.");
        assertThat(edits).hasSize(2);
        assertThat(edits.get(1).replyMarkup().inlineKeyboard().get(0).get(0).text()).isEqualTo("✅ 1:1");
        assertThat(users.settings(ALICE)).isEqualTo(UserSettings.DEFAULTS);
    }

    @Test
    void usersOutsideTheAllowListGetAPoliteRefusalForTapsAndCommandsToo() throws Exception {
        JsonNode tap = reply(handler(0, Set.of(ALICE)).answer(tap(OUTSIDER, OUTSIDER + ":m:seedream", "en"), context));
        assertThat(tap.get("method").asText()).isEqualTo("answerCallbackQuery");
        assertThat(tap.get("show_alert").asBoolean()).isTrue();
        assertThat(tap.get("text").asText()).contains("this bot is private").contains("666");

        for (String command : List.of("/model", "/settings", "/usage")) {
            assertThat(reply(handler(0, Set.of(ALICE)).answer(message(OUTSIDER, command, "en"), context))
                    .get("text").asText()).contains("this bot is private");
        }
        assertThat(reply(handler(0, Set.of(ALICE)).answer(message(ADMIN, "/model", "en"), context))
                .get("text").asText()).startsWith("Model for your prompts");
        assertThat(users.settings(OUTSIDER)).isEqualTo(UserSettings.DEFAULTS);
    }

    @Test
    void aMenuEditTelegramRefusesStillConfirmsTheSavedChoiceAndLogsNoToken() throws Exception {
        editor = edit -> {
            throw new TelegramCallException("editMessageText: 400 Bad Request: message to edit not found");
        };

        APIGatewayV2HTTPResponse response = handler().answer(tap(ALICE, ALICE + ":n:2", "en"), context);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(reply(response).get("text").asText()).isEqualTo("Images per prompt: 2.");
        assertThat(users.settings(ALICE).imagesPerPrompt()).isEqualTo(2);
        assertThat(context.logs()).anySatisfy(line -> assertThat(line).contains("message to edit not found"));
    }

    @Test
    void albumModeTappedInSettingsMakesThePromptsImagesOneAlbum() throws Exception {
        JsonNode menu = reply(handler().answer(message(ALICE, "/settings", "en"), context));
        assertThat(menu.get("text").asText()).contains("Several images of a prompt: One by one");
        assertThat(labels(menu)).contains("✅ One by one", "As an album");

        JsonNode toast = reply(handler().answer(tap(ALICE, data(menu, "As an album"), "en"), context));

        assertThat(toast.get("text").asText()).startsWith("The images of a prompt now come together as one album");
        assertThat(edits).singleElement().satisfies(edit -> assertThat(edit.text())
                .contains("Several images of a prompt: As an album"));
        handler().answer(message(ALICE, "a fox --n 3\nan owl", "en"), context);
        assertThat(enqueued).extracting(Job::prompt, Job::albumSize).containsExactly(Tuple.tuple("a fox", 3),
                Tuple.tuple("a fox", 3), Tuple.tuple("a fox", 3), Tuple.tuple("an owl", 0));
        assertThat(enqueued.get(0).albumId()).isEqualTo(enqueued.get(2).albumId()).isNotEqualTo(enqueued.get(3).albumId());
        enqueued.clear();
        handler().answer(message(ALICE, "/video waves --n 2", "en"), context);
        assertThat(enqueued).as("videos come one by one").extracting(Job::albumSize).containsExactly(0, 0);

        handler().answer(tap(ALICE, data(menu, "One by one"), "en"), context);
        enqueued.clear();
        handler().answer(message(ALICE, "a fox --n 2", "en"), context);
        assertThat(enqueued).extracting(Job::albumSize).containsExactly(0, 0);
    }

    @Test
    void everyButtonsCallbackDataFitsTelegramsSixtyFourBytes() {
        Menus menus = new Menus(CATALOG);
        long largestUserId = (1L << 52) - 1;
        WebhookSettings settings = new WebhookSettings("s", "b", "ideogram", 1, Set.of(), Set.of(), BlockedTerms.NONE, Units.NONE);
        for (Texts texts : List.of(Texts.forLanguage("en"), Texts.forLanguage("ru"))) {
            for (Model model : CATALOG.models()) {
                UserSettings.Choices choices = new UserSettings(model.key(), null, 4, true, true).resolve(CATALOG, settings);
                for (Menu menu : List.of(menus.models(largestUserId, choices, texts),
                        menus.settings(largestUserId, choices, texts))) {
                    menu.keyboard().inlineKeyboard().stream().flatMap(List::stream).forEach(button -> {
                        assertThat(button.callbackData().getBytes(StandardCharsets.UTF_8).length)
                                .as(button.callbackData()).isBetween(1, ButtonData.MAX_BYTES);
                        assertThat(ButtonData.parse(button.callbackData(), CATALOG)).isPresent();
                    });
                }
            }
        }
    }

    @Test
    void aDailyQuotaTakesWholeMessagesAndSaysHowManyAreLeft() throws Exception {
        assertThat(reply(handler(3, Set.of()).answer(message(ALICE, "a fox\na wolf", "en"), context))
                .get("text").asText()).startsWith("Got it: 2 prompts, 2 images");
        assertThat(reply(handler(3, Set.of()).answer(message(ALICE, "a cat --n 2", "en"), context))
                .get("text").asText()).isEqualTo(
                        "This message asks for 2 images, but only 1 left for today. Send fewer prompts or a smaller --n.");
        assertThat(enqueued).hasSize(2);
        assertThat(enqueued).allSatisfy(job -> assertThat(job.quotaDay()).isEqualTo(ledger.today()));

        handler(3, Set.of()).answer(message(ALICE, "a cat", "en"), context);
        assertThat(reply(handler(3, Set.of()).answer(message(ALICE, "a dog", "ru"), context)).get("text").asText())
                .isEqualTo("На сегодня вы использовали все 3 картинки. Новые — с 00:00 UTC; /usage покажет, сколько осталось.");
        assertThat(enqueued).hasSize(3);

        assertThat(reply(handler(3, Set.of()).answer(message(ALICE, "/usage", "en"), context)).get("text").asText())
                .isEqualTo("Images today: 3 of 3 used, 0 left.\nVideos today: 0, no daily limit.\nTexts today: 0, no daily"
                        + " limit.\nThe day is counted in UTC; the count starts again at 00:00 UTC.");
        handler(3, Set.of()).answer(message(ADMIN, "a\nb\nc\nd --n 4", "en"), context);
        assertThat(reply(handler(3, Set.of()).answer(message(ADMIN, "/usage", "ru"), context)).get("text").asText())
                .startsWith("Картинок сегодня: 7, без дневного лимита.");
    }

    @Test
    void aWriteIsCountedAsATextOncePerUpdateShownByUsageAndRefusedOverTheDailyTextQuota() throws Exception {
        WebhookHandler handler = new WebhookHandler(new WebhookComponents(WebhookSettings.from(Map.of(
                "TELEGRAM_WEBHOOK_SECRET", "local-webhook-secret", "TELEGRAM_BOT_USERNAME", "imagine_local_bot",
                "DAILY_TEXT_QUOTA", "1")), CATALOG, enqueued::addAll, users, edits::add, ResultLookup.NONE));
        APIGatewayV2HTTPEvent write = message(ALICE, "/write a post about our new coffee shop", "en");

        assertThat(reply(handler.answer(write, context)).get("text").asText()).startsWith("Got it: writing");
        handler.answer(write, context);
        assertThat(reply(handler.answer(message(ALICE, "/write a caption for a sunset", "en"), context))
                .get("text").asText()).isEqualTo(
                        "You have used all 1 text for today. More from 00:00 UTC; /usage shows where you stand.");
        assertThat(reply(handler.answer(message(ALICE, "/write подпись к закату", "ru"), context))
                .get("text").asText()).startsWith("На сегодня вы использовали все 1 текст.");

        assertThat(enqueued).extracting(Job::jobId).as("the redelivered update is the same job")
                .containsExactly(enqueued.get(0).jobId(), enqueued.get(0).jobId());
        assertThat(enqueued).allSatisfy(job -> assertThat(job.quotaDay()).isEqualTo(ledger.today()));
        assertThat(reply(handler.answer(message(ALICE, "/usage", "en"), context)).get("text").asText())
                .isEqualTo("Images today: 0, no daily limit.\nVideos today: 0, no daily limit.\n"
                        + "Texts today: 1 of 1 used, 0 left.\nThe day is counted in UTC; the count starts again at"
                        + " 00:00 UTC.");
        assertThat(reply(handler.answer(message(ALICE, "a fox", "en"), context)).get("text").asText())
                .as("images are not texts").startsWith("Got it");
    }

    @Test
    void aPromptReadsTheUsersSettingsAndTheirDayOnceAndWritesTheDayOnce() throws Exception {
        S3Requests.Counts before = bucket.requests();

        handler(10, Set.of()).answer(message(ALICE, "a fox\na cat", "en"), context);

        S3Requests.Counts prompt = bucket.requests().minus(before);
        assertThat(enqueued).hasSize(2);
        assertThat(prompt.of("GetObject", "users")).as(prompt.toString()).isEqualTo(1);
        assertThat(prompt.of("GetObject", "usage")).as(prompt.toString()).isEqualTo(1);
        assertThat(prompt.of("PutObject", "usage")).as(prompt.toString()).isEqualTo(1);
        assertThat(prompt.total()).as(prompt.toString()).isEqualTo(3);
    }

    @Test
    void aRedeliveredUpdateIsCountedOnce() throws Exception {
        APIGatewayV2HTTPEvent update = message(ALICE, "a fox --n 2", "en");
        handler(2, Set.of()).answer(update, context);
        handler(2, Set.of()).answer(update, context);

        assertThat(enqueued).hasSize(4);
        assertThat(ledger.used(ALICE)).isEqualTo(new Units(2, 0));
    }

    @Test
    void concurrentPromptsOfOneUserAreCountedExactlyAgainstTheQuota() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Callable<JsonNode>> prompts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            APIGatewayV2HTTPEvent update = message(ALICE, "prompt " + i, "en");
            prompts.add(() -> reply(handler(10, Set.of()).answer(update, new TestContext())));
        }
        List<String> replies = new ArrayList<>();
        for (Future<JsonNode> reply : threads.invokeAll(prompts)) {
            replies.add(reply.get().get("text").asText());
        }
        threads.shutdown();

        assertThat(replies).filteredOn(text -> text.startsWith("Got it")).hasSize(10);
        assertThat(replies).filteredOn(text -> text.startsWith("You have used all 10 images")).hasSize(6);
        assertThat(enqueued).hasSize(10);
        assertThat(ledger.used(ALICE)).isEqualTo(new Units(10, 0));
    }

    private static List<String> labels(JsonNode menu) {
        List<String> labels = new ArrayList<>();
        menu.at("/reply_markup/inline_keyboard").forEach(row -> row.forEach(button -> labels.add(button.get("text").asText())));
        return labels;
    }

    private static String data(JsonNode menu, String label) {
        List<String> found = new ArrayList<>();
        menu.at("/reply_markup/inline_keyboard").forEach(row -> row.forEach(button -> {
            if (button.get("text").asText().replace("✅ ", "").equals(label)) {
                found.add(button.get("callback_data").asText());
            }
        }));
        assertThat(found).as("button " + label).hasSize(1);
        return found.get(0);
    }

    private APIGatewayV2HTTPEvent message(long userId, String text, String language) throws Exception {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-private-text.json");
        ObjectNode update = (ObjectNode) Json.MAPPER.readTree(event.getBody());
        update.put("update_id", updateIds.incrementAndGet());
        ObjectNode message = (ObjectNode) update.get("message");
        message.put("text", text);
        ((ObjectNode) message.get("from")).put("id", userId).put("language_code", language);
        ((ObjectNode) message.get("chat")).put("id", userId);
        event.setBody(Json.MAPPER.writeValueAsString(update));
        return event;
    }

    private APIGatewayV2HTTPEvent tap(long userId, String data, String language) throws Exception {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-callback-query.json");
        ObjectNode update = (ObjectNode) Json.MAPPER.readTree(event.getBody());
        update.put("update_id", updateIds.incrementAndGet());
        ObjectNode query = (ObjectNode) update.get("callback_query");
        query.put("data", data);
        ((ObjectNode) query.get("from")).put("id", userId).put("language_code", language);
        event.setBody(Json.MAPPER.writeValueAsString(update));
        return event;
    }

    private static JsonNode reply(APIGatewayV2HTTPResponse response) throws Exception {
        return Json.MAPPER.readTree(response.getBody());
    }
}
