package imagine.webhook;

import static com.amazonaws.services.lambda.runtime.tests.EventLoader.loadApiGatewayHttpEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import imagine.core.BlockedTerms;
import imagine.core.Catalog;
import imagine.core.DeliveredResult;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.ResultButtons;
import imagine.core.StorageKeys;
import imagine.core.Task;
import imagine.core.telegram.InlineKeyboardButton;
import imagine.core.testing.LocalBucket;
import imagine.core.testing.TestContext;
import imagine.core.usage.Units;
import imagine.core.usage.UsageLedger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Taps on 🔁 Again, 🖼 Full size and 🎬 Animate under a result, with the result records and users' state in a
 * real S3-compatible store: what each enqueues, what each answers, and what is counted.
 */
class ResultTapsTest {
    private static final long ALICE = 1001;
    private static final long BOB = 1003;
    private static final Catalog CATALOG = Catalog.load();

    private final LocalBucket bucket = new LocalBucket();
    private final UsageLedger ledger = new UsageLedger(bucket.client(), LocalBucket.NAME, Clock.systemUTC());
    private final S3UserState users = new S3UserState(bucket.client(), LocalBucket.NAME, ledger);
    private final List<Job> enqueued = new CopyOnWriteArrayList<>();
    private final TestContext context = new TestContext();
    private final AtomicLong updateIds = new AtomicLong(700_000);

    @AfterEach
    void close() {
        bucket.close();
    }

    private WebhookHandler handler(int dailyImages) {
        WebhookSettings settings = new WebhookSettings("local-webhook-secret", "imagine_local_bot", "ideogram", 1,
                Set.of(), Set.of(), BlockedTerms.NONE, new Units(dailyImages, 0));
        return new WebhookHandler(new WebhookComponents(settings, CATALOG, enqueued::addAll, users, edit -> { },
                ResultLookup.s3(bucket.client(), LocalBucket.NAME)));
    }

    /** A result as the worker records it when it sends it: Alice's 16:9 fox by Seedream, with a seed of its own. */
    private Job delivered(String jobId, String mediaType) throws Exception {
        return delivered(jobId, mediaType, null, 1_234_567_890L);
    }

    /** @param chosen the seed Alice chose, null for none; {@code seed} the one the model was given */
    private Job delivered(String jobId, String mediaType, Long chosen, long seed) throws Exception {
        Job job = Job.builder().jobId(jobId).replyingTo(ALICE, 10).user(ALICE, "en").prompt("a fox in the snow")
                .model("seedream").aspectRatio("16:9").position(2, 4).asFile(true).quotaDay("2026-11-24")
                .seed(chosen).build();
        String extension = mediaType.startsWith("video/") ? ".mp4" : ".png";
        DeliveredResult result = new DeliveredResult(job, "media/" + jobId + extension, mediaType, seed);
        bucket.client().putObject(b -> b.bucket(LocalBucket.NAME).key(StorageKeys.result(ALICE, jobId)),
                RequestBody.fromBytes(Json.MAPPER.writeValueAsBytes(result)));
        return job;
    }

    @Test
    void againIsANewJobWithTheSamePromptModelRatioAndOutputAnsweringTheResult() throws Exception {
        delivered("500001-0-1", "image/png");
        long update = updateIds.incrementAndGet();

        JsonNode toast = tap(handler(0), update, ALICE, ALICE, "1001:ag:500001-0-1");

        assertThat(toast.get("method").asText()).isEqualTo("answerCallbackQuery");
        assertThat(toast.get("text").asText()).isEqualTo("Once more: Seedream 3.");
        assertThat(enqueued).singleElement().satisfies(job -> {
            assertThat(job.jobId()).isEqualTo(update + "-ag");
            assertThat(job.prompt()).isEqualTo("a fox in the snow");
            assertThat(job.model()).isEqualTo("seedream");
            assertThat(job.aspectRatio()).isEqualTo("16:9");
            assertThat(job.asFile()).isTrue();
            assertThat(job.replyTo()).isEqualTo(21);
            assertThat(job.chatId()).isEqualTo(ALICE);
            assertThat(job.position()).isEqualTo(1);
            assertThat(job.total()).isEqualTo(1);
            assertThat(job.task()).isEqualTo(Task.IMAGE);
            assertThat(job.quotaDay()).isNotNull();
        });
        assertThat(ledger.used(ALICE)).isEqualTo(new Units(1, 0));
    }

    @Test
    void animateIsAnImageToVideoJobOnTheStoredImageCountedAsAVideo() throws Exception {
        delivered("500001-0-2", "image/png");

        JsonNode toast = tap(handler(0), updateIds.incrementAndGet(), ALICE, ALICE, "1001:an:500001-0-2");

        assertThat(toast.get("text").asText()).startsWith("Animating it with Kling 2.1");
        assertThat(enqueued).singleElement().satisfies(job -> {
            assertThat(job.model()).isEqualTo(CATALOG.animationModel().orElseThrow().key()).isEqualTo("kling");
            assertThat(job.mediaKey()).isEqualTo("media/500001-0-2.png");
            assertThat(job.photoFileId()).isNull();
            assertThat(job.prompt()).isEqualTo("a fox in the snow");
            assertThat(job.aspectRatio()).as("Kling takes the shape of its start image").isNull();
        });
        assertThat(ledger.used(ALICE)).isEqualTo(new Units(0, 1));
    }

    @Test
    void fullSizeIsAnUncountedTaskToSendTheStoredOriginalOncePerResult() throws Exception {
        delivered("500001-0-3", "image/png");

        JsonNode toast = tap(handler(1), updateIds.incrementAndGet(), ALICE, ALICE, "1001:fs:500001-0-3");
        JsonNode again = tap(handler(1), updateIds.incrementAndGet(), ALICE, ALICE, "1001:fs:500001-0-3");
        JsonNode russian = tap(handler(1), updateIds.incrementAndGet(), ALICE, ALICE, "1001:fs:500001-0-3", "ru");

        assertThat(toast.get("text").asText()).isEqualTo(
                "Sending the original file; each picture's original is sent once.");
        assertThat(again.get("text").asText()).isEqualTo(toast.get("text").asText());
        assertThat(russian.get("text").asText()).isEqualTo(
                "Отправляю исходный файл; оригинал каждой картинки присылаю один раз.");
        assertThat(enqueued).as("every tap on the result is the one job the worker runs once").hasSize(3)
                .allSatisfy(job -> {
                    assertThat(job.jobId()).isEqualTo("500001-0-3-fs");
                    assertThat(job.task()).isEqualTo(Task.FULL_SIZE);
                    assertThat(job.isPlanning()).isFalse();
                    assertThat(job.mediaKey()).isEqualTo("media/500001-0-3.png");
                    assertThat(job.replyTo()).isEqualTo(21);
                    assertThat(job.quotaDay()).isNull();
                });
        assertThat(ledger.used(ALICE)).isEqualTo(Units.NONE);
    }

    @Test
    void againOnAPictureOfAChosenSeedKeepsTheSeedAndWithoutOneLetsANewSeedBeDerived() throws Exception {
        delivered("500002-0-1", "image/png", 7L, 7);
        delivered("500002-0-2", "image/png");

        tap(handler(0), updateIds.incrementAndGet(), ALICE, ALICE, "1001:ag:500002-0-1");
        tap(handler(0), updateIds.incrementAndGet(), ALICE, ALICE, "1001:ag:500002-0-2");

        assertThat(enqueued).extracting(Job::seed).containsExactly(7L, null);
    }

    @Test
    void upscaleEnlargesTheStoredImageAsAFileCountedAsAnImage() throws Exception {
        delivered("500002-0-3", "image/png");
        long update = updateIds.incrementAndGet();

        JsonNode toast = tap(handler(0), update, ALICE, ALICE, "1001:up:500002-0-3");

        assertThat(toast.get("text").asText())
                .isEqualTo("Upscaling it with Recraft Crisp Upscale; the larger picture comes as a file.");
        assertThat(enqueued).singleElement().satisfies(job -> {
            assertThat(job.jobId()).isEqualTo(update + "-up");
            assertThat(job.model()).isEqualTo(CATALOG.upscaleModel().orElseThrow().key()).isEqualTo("crisp");
            assertThat(job.mediaKey()).isEqualTo("media/500002-0-3.png");
            assertThat(job.asFile()).isTrue();
            assertThat(job.task()).isEqualTo(Task.IMAGE);
            assertThat(job.prompt()).isEqualTo("a fox in the snow");
            assertThat(job.replyTo()).isEqualTo(21);
            assertThat(job.quotaDay()).isNotNull();
        });
        assertThat(ledger.used(ALICE)).isEqualTo(new Units(1, 0));
    }

    @Test
    void aRedeliveredUpscaleTapIsOneJobCountedOnce() throws Exception {
        delivered("500002-0-4", "image/png");
        long update = updateIds.incrementAndGet();

        tap(handler(0), update, ALICE, ALICE, "1001:up:500002-0-4");
        tap(handler(0), update, ALICE, ALICE, "1001:up:500002-0-4");

        assertThat(enqueued).extracting(Job::jobId).containsExactly(update + "-up", update + "-up");
        assertThat(ledger.used(ALICE)).isEqualTo(new Units(1, 0));
    }

    @Test
    void aVideoIsNotUpscaled() throws Exception {
        delivered("500002-0-5", "video/mp4");

        JsonNode toast = tap(handler(0), updateIds.incrementAndGet(), ALICE, ALICE, "1001:up:500002-0-5");

        assertThat(toast.get("text").asText()).contains("out of date");
        assertThat(enqueued).isEmpty();
        assertThat(ledger.used(ALICE)).isEqualTo(Units.NONE);
    }

    @Test
    void fullSizeCarriesTheSeedThePictureWasMadeWithForTheFilesName() throws Exception {
        delivered("500002-0-6", "image/png");

        tap(handler(0), updateIds.incrementAndGet(), ALICE, ALICE, "1001:fs:500002-0-6");

        assertThat(enqueued).singleElement().extracting(Job::seed).isEqualTo(1_234_567_890L);
    }

    @Test
    void aTapOnSomeoneElsesResultInAGroupChangesNothing() throws Exception {
        delivered("500001-0-4", "image/png");

        JsonNode fromButton = tap(handler(0), updateIds.incrementAndGet(), BOB, -100777, "1001:ag:500001-0-4");
        JsonNode forged = tap(handler(0), updateIds.incrementAndGet(), BOB, -100777, "1003:an:500001-0-4");

        assertThat(fromButton.get("text").asText()).startsWith("This is someone else's result");
        // Bob's own name on Alice's result finds nothing of Bob's.
        assertThat(forged.get("text").asText()).startsWith("This result is no longer kept");
        assertThat(enqueued).isEmpty();
        assertThat(ledger.used(BOB)).isEqualTo(Units.NONE);
    }

    @Test
    void aTapOnAResultWhoseRecordExpiredSaysSoAndChangesNothing() throws Exception {
        JsonNode toast = tap(handler(0), updateIds.incrementAndGet(), ALICE, ALICE, "1001:ag:400001-0-0");

        assertThat(toast.get("method").asText()).isEqualTo("answerCallbackQuery");
        assertThat(toast.get("text").asText()).isEqualTo("This result is no longer kept, so the button does nothing now.");
        assertThat(enqueued).isEmpty();
        assertThat(ledger.used(ALICE)).isEqualTo(Units.NONE);
    }

    @Test
    void overTheQuotaATapIsRefusedWithTheNumberLeft() throws Exception {
        delivered("500001-0-5", "image/png");
        WebhookHandler handler = handler(1);
        tap(handler, updateIds.incrementAndGet(), ALICE, ALICE, "1001:ag:500001-0-5");

        JsonNode refused = tap(handler, updateIds.incrementAndGet(), ALICE, ALICE, "1001:ag:500001-0-5");

        assertThat(refused.get("text").asText()).startsWith("You have used all 1 image for today");
        assertThat(enqueued).hasSize(1);
        assertThat(ledger.used(ALICE)).isEqualTo(new Units(1, 0));
    }

    @Test
    void aRedeliveredTapIsCountedOnceAndMakesTheSameJob() throws Exception {
        delivered("500001-0-6", "image/png");
        long update = updateIds.incrementAndGet();

        tap(handler(0), update, ALICE, ALICE, "1001:ag:500001-0-6");
        tap(handler(0), update, ALICE, ALICE, "1001:ag:500001-0-6");

        assertThat(enqueued).extracting(Job::jobId).containsExactly(update + "-ag", update + "-ag");
        assertThat(ledger.used(ALICE)).isEqualTo(new Units(1, 0));
    }

    @Test
    void aVideoCannotBeAnimatedAgain() throws Exception {
        delivered("500001-0-7", "video/mp4");

        JsonNode toast = tap(handler(0), updateIds.incrementAndGet(), ALICE, ALICE, "1001:an:500001-0-7");

        assertThat(toast.get("text").asText()).contains("out of date");
        assertThat(enqueued).isEmpty();
    }

    @Test
    void theSampleEventOfATapOnAgainMakesOneJob() throws Exception {
        delivered("500001-0-0", "image/png");

        JsonNode toast = Json.MAPPER.readTree(handler(0).answer(
                loadApiGatewayHttpEvent("telegram-callback-again.json"), context).getBody());

        assertThat(toast.get("callback_query_id").asText()).isEqualTo("4382bfdwdsb323b2d9");
        assertThat(enqueued).extracting(Job::jobId).containsExactly("500008-ag");
    }

    @Test
    void theButtonsOfTheLongestJobIdsAndUserIdsFitSixtyFourBytesAndParse() {
        long longestUpdate = Long.MAX_VALUE;
        Job idea = Job.builder().jobId(Job.taskIdFor(longestUpdate, Task.IDEA)).replyingTo(1, 1)
                .user(Long.MAX_VALUE, "ru").prompt("p").model("ideogram").aspectRatio("1:1").position(1, 10)
                .task(Task.IDEA).build();
        List<String> jobIds = List.of(Job.idFor(longestUpdate, 9, 3), idea.imageIdFor(10),
                Job.tapIdFor(longestUpdate, ResultButtons.ANIMATE));
        for (String jobId : jobIds) {
            Job job = Job.builder().jobId(jobId).replyingTo(1, 1).user(Long.MAX_VALUE, "ru").prompt("p")
                    .model("ideogram").aspectRatio("1:1").build();
            for (InlineKeyboardButton button : ResultButtons.under(job, true, true).inlineKeyboard().stream()
                    .flatMap(List::stream).toList()) {
                assertThat(button.callbackData().getBytes(StandardCharsets.UTF_8).length).as(button.callbackData())
                        .isBetween(1, ButtonData.MAX_BYTES);
                assertThat(ButtonData.parse(button.callbackData(), CATALOG)).hasValueSatisfying(data -> {
                    assertThat(data.owner()).isEqualTo(Long.MAX_VALUE);
                    assertThat(data.value()).isEqualTo(jobId);
                });
            }
        }
    }

    private JsonNode tap(WebhookHandler handler, long updateId, long userId, long chatId, String data) throws Exception {
        return tap(handler, updateId, userId, chatId, data, "en");
    }

    private JsonNode tap(WebhookHandler handler, long updateId, long userId, long chatId, String data, String language)
            throws Exception {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-callback-query.json");
        ObjectNode update = (ObjectNode) Json.MAPPER.readTree(event.getBody());
        update.put("update_id", updateId);
        ObjectNode query = (ObjectNode) update.get("callback_query");
        query.put("data", data);
        ((ObjectNode) query.get("from")).put("id", userId).put("language_code", language);
        ((ObjectNode) query.at("/message/chat")).put("id", chatId).put("type", chatId < 0 ? "supergroup" : "private");
        event.setBody(Json.MAPPER.writeValueAsString(update));
        return Json.MAPPER.readTree(handler.answer(event, context).getBody());
    }
}
