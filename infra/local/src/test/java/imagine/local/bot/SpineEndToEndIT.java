package imagine.local.bot;

import static imagine.local.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import imagine.local.replicate.Fault;
import imagine.local.replicate.LocalReplicate;
import imagine.local.replicate.Prediction;
import imagine.local.telegram.BotMessage;
import imagine.local.telegram.LocalTelegram;
import imagine.local.telegram.Message;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The whole path of a prompt, on the local platform: the webhook and worker from their shaded jars,
 * ElasticMQ and S3Proxy through the real AWS SDK, and the local Telegram and Replicate over HTTP.
 */
@ResourceLock(LocalBots.STANDARD_LOCK)
class SpineEndToEndIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static LocalBot bot;
    private static LocalTelegram telegram;
    private static LocalReplicate replicate;

    @BeforeAll
    static void start() {
        bot = LocalBots.shared(LocalBots.STANDARD);
        telegram = bot.telegram();
        replicate = bot.replicate();
    }

    /** Faults cued here hit whichever job comes next: no job of an earlier test may be left to take them. */
    @BeforeEach
    void nothingElseInFlight() {
        JobsQueue.awaitDrained(bot, WAIT);
    }

    @Test
    void threePromptsOfTwoImagesBecomeSixPhotosEachAReplyMadeAtTheSameTime() throws Exception {
        long user = LocalBots.newUser();
        List<String> prompts = List.of("a red fox in the snow " + user, "a lighthouse at dusk " + user,
                "a city in a bottle " + user);
        Message sent = telegram.userSends(user, "Alice", "en", String.join("\n", prompts));

        List<BotMessage> photos = telegram.awaitBotMessages(user, 6, BotMessage::isPhoto, WAIT);

        assertThat(photos).allSatisfy(photo -> assertThat(photo.replyToMessageId()).isEqualTo(sent.messageId()));
        assertThat(photos).extracting(photo -> photo.caption().lines().findFirst().orElseThrow())
                .containsExactlyInAnyOrder("1/6 · Ideogram v3 Turbo", "2/6 · Ideogram v3 Turbo", "3/6 · Ideogram v3 Turbo",
                        "4/6 · Ideogram v3 Turbo", "5/6 · Ideogram v3 Turbo", "6/6 · Ideogram v3 Turbo");
        assertThat(photos).filteredOn(photo -> photo.caption().endsWith("\n" + prompts.get(1))).hasSize(2);
        assertThat(telegram.botMessages(user)).filteredOn(message -> message.text() != null)
                .extracting(BotMessage::text)
                .containsExactly("Got it: 3 prompts, 6 images with Ideogram v3 Turbo. Each arrives here as soon as it is ready.");

        List<Prediction> predictions = predictionsFor(prompts);
        assertThat(predictions).hasSize(6);
        Instant lastStart = predictions.stream().map(Prediction::startedAt).max(Instant::compareTo).orElseThrow();
        Instant firstEnd = predictions.stream().map(Prediction::completedAt).min(Instant::compareTo).orElseThrow();
        assertThat(lastStart).as("every prediction started before the first one finished").isBefore(firstEnd);
        assertThat(predictions).extracting(p -> p.input().get("seed")).doesNotHaveDuplicates();
        assertThat(telegram.calls()).as("sends paced under Telegram's per-chat limit")
                .filteredOn(call -> call.chatId() != null && call.chatId() == user && call.errorCode() == 429).isEmpty();
    }

    @Test
    void eachModelGetsItsOwnInputSchemaThroughTheWholePath() throws Exception {
        long user = LocalBots.newUser();
        String lighthouse = "маяк в сумерках " + user;
        String fox = "лиса в снегу " + user;
        String city = "город в бутылке " + user;
        telegram.userSends(user, "Борис", "ru", lighthouse + " --model ideogram --ar 3:1 --n 1\n"
                + fox + " --model seedream --ar 21:9 --n 1\n"
                + city + " --model imagen --ar 9:16 --n 1");

        List<BotMessage> photos = telegram.awaitBotMessages(user, 3, BotMessage::isPhoto, WAIT);

        assertThat(ratioOf(photo(photos, lighthouse))).isCloseTo(3.0, org.assertj.core.data.Offset.offset(0.02));
        assertThat(ratioOf(photo(photos, fox))).isCloseTo(21.0 / 9, org.assertj.core.data.Offset.offset(0.02));
        assertThat(ratioOf(photo(photos, city))).isCloseTo(9.0 / 16, org.assertj.core.data.Offset.offset(0.02));
        assertThat(predictionsFor(List.of(lighthouse)).get(0).input())
                .containsEntry("aspect_ratio", "3:1").containsEntry("magic_prompt_option", "Auto").containsKey("seed");
        assertThat(predictionsFor(List.of(fox)).get(0).input())
                .containsEntry("aspect_ratio", "21:9").containsEntry("size", "regular");
        assertThat(predictionsFor(List.of(city)).get(0)).satisfies(p -> {
            assertThat(p.model()).isEqualTo("google/imagen-4-ultra");
            assertThat(p.input()).containsEntry("output_format", "png").doesNotContainKey("seed");
        });
    }

    @Test
    void theSameUpdateDeliveredFiveTimesAtOnceMakesOneSetOfPredictionsAndPhotos() throws Exception {
        long user = LocalBots.newUser();
        Message hello = telegram.userSends(user, "Carol", "en", "/start");
        telegram.awaitBotMessage(user, m -> m.text() != null, WAIT);
        String update = new ObjectMapper().writeValueAsString(Map.of("update_id", 880000 + user, "message", Map.of(
                "message_id", hello.messageId(), "date", 1795514400, "text", "a kite over the sea " + user,
                "chat", Map.of("id", user, "type", "private"),
                "from", Map.of("id", user, "is_bot", false, "first_name", "Carol", "language_code", "en"))));

        List<CompletableFuture<HttpResponse<String>>> deliveries = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 5; i++) {
            deliveries.add(http.sendAsync(HttpRequest.newBuilder(bot.webhookUrl())
                    .header("X-Telegram-Bot-Api-Secret-Token", LocalBot.LOCAL_WEBHOOK_SECRET)
                    .POST(HttpRequest.BodyPublishers.ofString(update)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        deliveries.forEach(delivery -> assertThat(delivery.join().statusCode()).isEqualTo(200));

        telegram.awaitBotMessages(user, 2, BotMessage::isPhoto, WAIT);
        JobsQueue.awaitDrained(bot, WAIT);

        assertThat(predictionsFor(List.of("a kite over the sea " + user))).hasSize(2);
        assertThat(telegram.botMessages(user)).filteredOn(BotMessage::isPhoto).hasSize(2);
    }

    @Test
    void aPromptTheModelRefusesIsExplainedAndNotRetried() throws Exception {
        long user = LocalBots.newUser();
        String prompt = "something dubious #refuse " + user;
        telegram.userSends(user, "Dan", "en", prompt + " --n 1");

        BotMessage explanation = telegram.awaitBotMessage(user,
                m -> m.text() != null && m.text().startsWith("I could not draw"), WAIT);

        assertThat(explanation.text()).isEqualTo("I could not draw image 1/1 (\"" + prompt + "\"): "
                + "the model refused. It flagged the prompt or the picture as unsafe; try wording it differently.");
        assertThat(predictionsFor(List.of(prompt))).hasSize(1);
    }

    @Test
    void aModelServerErrorIsRetriedAndTheImageStillArrives() throws Exception {
        long user = LocalBots.newUser();
        replicate.failNext("bytedance/seedream-3", Fault.SERVER_ERROR);
        String prompt = "a paper boat " + user;
        telegram.userSends(user, "Erin", "en", prompt + " --model seedream --n 1");

        telegram.awaitBotMessage(user, BotMessage::isPhoto, WAIT);

        assertThat(predictionsFor(List.of(prompt))).hasSize(1);
    }

    @Test
    void telegramsFloodLimitOnThePhotoIsWaitedOut() throws Exception {
        long user = LocalBots.newUser();
        telegram.failNext("sendPhoto", 429, "Too Many Requests: retry after 1", Map.of("retry_after", 1));
        String prompt = "a snail on a leaf " + user;
        telegram.userSends(user, "Fay", "en", prompt + " --n 1");

        telegram.awaitBotMessage(user, BotMessage::isPhoto, WAIT);

        assertThat(predictionsFor(List.of(prompt))).hasSize(1);
    }

    @Test
    void aJobThatKeepsFailingEndsWithAMessageFromTheDeadLetterQueue() throws Exception {
        long user = LocalBots.newUser();
        for (int i = 0; i < 5; i++) {
            replicate.failNext("google/imagen-4-ultra", Fault.SERVER_ERROR);
        }
        String prompt = "a glass whale " + user;
        telegram.userSends(user, "Gil", "en", prompt + " --model imagen --n 1");

        BotMessage apology = telegram.awaitBotMessage(user,
                m -> m.text() != null && m.text().startsWith("Sorry"), WAIT);

        assertThat(apology.text()).isEqualTo("Sorry, image 1/1 (\"" + prompt + "\") could not be made: the model or "
                + "Telegram kept failing. Please send the prompt again a bit later.");
        assertThat(predictionsFor(List.of(prompt))).isEmpty();
    }

    @Test
    void aPhotoWithACaptionIsEditedFromAShortLivedS3LinkAndComesBackInItsShape() throws Exception {
        long user = LocalBots.newUser();
        BufferedImage picture = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        ImageIO.write(picture, "png", png);

        telegram.userSendsPhoto(user, "Dana", "en", png.toByteArray(), "make it a watercolour " + user + " --n 1");

        BotMessage photo = telegram.awaitBotMessage(user, BotMessage::isPhoto, WAIT);
        assertThat(photo.caption()).contains("FLUX.1 Kontext Pro").endsWith("\nmake it a watercolour " + user);
        assertThat(ratioOf(photo)).isCloseTo(4.0 / 3, org.assertj.core.data.Offset.offset(0.02));
        assertThat(predictionsFor(List.of("make it a watercolour " + user))).singleElement().satisfies(p -> {
            assertThat(p.model()).isEqualTo("black-forest-labs/flux-kontext-pro");
            String link = String.valueOf(p.input().get("input_image"));
            assertThat(link).contains("/inputs/", "X-Amz-Expires=900").doesNotContain("/file/bot");
        });
    }

    @Test
    void aVideoPromptAndAnAnimatedPhotoComeBackAsVideosFromTheirModels() throws Exception {
        long user = LocalBots.newUser();
        BufferedImage picture = new BufferedImage(480, 640, BufferedImage.TYPE_INT_RGB);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        ImageIO.write(picture, "png", png);

        telegram.userSends(user, "Egor", "ru", "/video волны на закате " + user);
        telegram.userSendsPhoto(user, "Egor", "ru", png.toByteArray(), "/video волны оживают " + user);

        List<BotMessage> videos = telegram.awaitBotMessages(user, 2, message -> "animation".equals(message.mediaKind())
                || "video".equals(message.mediaKind()), WAIT);
        assertThat(videos).extracting(BotMessage::caption).anySatisfy(caption -> assertThat(caption)
                .contains("Seedance 1 Lite").endsWith("\nволны на закате " + user));
        assertThat(videos).extracting(BotMessage::caption).anySatisfy(caption -> assertThat(caption)
                .contains("Kling 2.1").endsWith("\nволны оживают " + user));
        assertThat(predictionsFor(List.of("волны оживают " + user))).singleElement().satisfies(p -> {
            assertThat(p.model()).isEqualTo("kwaivgi/kling-v2.1");
            assertThat(String.valueOf(p.input().get("start_image"))).contains("/inputs/", "X-Amz-Expires=900");
        });
        assertThat(telegram.botMessages(user)).filteredOn(m -> m.text() != null)
                .anySatisfy(m -> assertThat(m.text()).contains("Видео делается несколько минут"));
    }

    @Test
    void cancelStopsAPredictionThatWouldNeverEndAndNothingMoreComesOfIt() throws Exception {
        long user = LocalBots.newUser();
        String prompt = "a lighthouse that never ends #hang " + user;
        telegram.userSends(user, "Fay", "en", prompt + " --n 1");
        awaitPrediction(prompt, Prediction.Status.PROCESSING);

        telegram.userSends(user, "Fay", "en", "/cancel");

        awaitPrediction(prompt, Prediction.Status.CANCELED);
        JobsQueue.awaitDrained(bot, WAIT);
        assertThat(telegram.botMessages(user)).noneMatch(BotMessage::isPhoto);
        assertThat(telegram.botMessages(user)).extracting(BotMessage::text)
                .hasSize(2).last().asString().startsWith("Canceled:");
    }

    private static void awaitPrediction(String prompt, Prediction.Status status) {
        await("a prediction of \"" + prompt + "\" " + status).atMost(WAIT)
                .until(() -> predictionsFor(List.of(prompt)).stream().anyMatch(p -> p.status() == status));
    }

    private static List<Prediction> predictionsFor(List<String> prompts) {
        return replicate.predictions().stream().filter(p -> prompts.contains(p.input().get("prompt"))).toList();
    }

    private static BotMessage photo(List<BotMessage> photos, String prompt) {
        return photos.stream().filter(p -> p.caption().endsWith("\n" + prompt)).findFirst().orElseThrow();
    }

    private static double ratioOf(BotMessage photo) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(photo.fileBytes()));
        return (double) image.getWidth() / image.getHeight();
    }
}
