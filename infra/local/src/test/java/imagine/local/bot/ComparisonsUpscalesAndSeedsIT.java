package imagine.local.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import imagine.local.aws.SqsFaults;
import imagine.local.replicate.Fault;
import imagine.local.replicate.LocalReplicate;
import imagine.local.replicate.Prediction;
import imagine.local.telegram.BotMessage;
import imagine.local.telegram.LocalTelegram;
import imagine.local.telegram.Message;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * More from one prompt, through the whole path on the local platform: {@code /compare} has every image model draw it
 * at once and sends one album captioned by model (a refused model left out, with a line saying why); 🔍 Upscale under
 * a result sends a larger file, counted, once however often Telegram delivers the tap; {@code --seed} reaches the
 * model as asked and the captions say it. It cues faults and times predictions against each other, so it holds the
 * standard bot alone.
 */
@ResourceLock(LocalBots.STANDARD_LOCK)
class ComparisonsUpscalesAndSeedsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> IMAGE_MODELS = List.of("ideogram-ai/ideogram-v3-turbo", "bytedance/seedream-3",
            "google/imagen-4-ultra");

    private static LocalBot bot;
    private static LocalTelegram telegram;
    private static LocalReplicate replicate;
    private static SqsFaults sqsFaults;

    @BeforeAll
    static void start() {
        bot = LocalBots.shared(LocalBots.STANDARD);
        telegram = bot.telegram();
        replicate = bot.replicate();
        sqsFaults = bot.platform().sqsFaults();
    }

    /** Faults cued here hit whichever job comes next: no job of an earlier test may be left to take them. */
    @BeforeEach
    void nothingElseInFlight() {
        JobsQueue.awaitDrained(bot, WAIT);
    }

    @Test
    void compareMakesThreePredictionsAtOnceAndOneAlbumOfThreePicturesCaptionedByModel() throws Exception {
        long user = LocalBots.newUser();
        String prompt = "a lighthouse " + user;

        Message asked = telegram.userSends(user, "Alice", "en", "/compare " + prompt + " --ar 16:9");

        List<BotMessage> album = telegram.awaitBotMessages(user, 3, BotMessage::isPhoto, WAIT);
        assertThat(album).extracting(m -> m.json().path("media_group_id").asText()).doesNotContain("")
                .containsOnly(album.get(0).json().path("media_group_id").asText());
        assertThat(album).extracting(BotMessage::caption)
                .containsExactly("Ideogram v3 Turbo\n" + prompt, "Seedream 3", "Imagen 4 Ultra");
        assertThat(album).extracting(BotMessage::replyToMessageId).containsOnly(asked.messageId());
        assertThat(album).allSatisfy(picture -> assertThat(ratioOf(picture)).isCloseTo(16.0 / 9, offset(0.02)));
        List<Prediction> predictions = predictionsFor(prompt);
        assertThat(predictions).extracting(Prediction::model).containsExactlyInAnyOrderElementsOf(IMAGE_MODELS);
        assertThat(predictions).allSatisfy(p -> assertThat(p.input()).containsEntry("aspect_ratio", "16:9"));
        Instant lastStart = predictions.stream().map(Prediction::startedAt).max(Instant::compareTo).orElseThrow();
        Instant firstEnd = predictions.stream().map(Prediction::completedAt).min(Instant::compareTo).orElseThrow();
        assertThat(lastStart).as("every prediction started before the first one finished").isBefore(firstEnd);
        assertThat(telegram.calls()).filteredOn(call -> call.method().equals("sendMediaGroup")
                && call.chatId() != null && call.chatId() == user).hasSize(1);
        assertThat(telegram.botMessages(user)).filteredOn(m -> m.text() != null).extracting(BotMessage::text)
                .containsExactly("Got it: drawing with Ideogram v3 Turbo, Seedream 3, Imagen 4 Ultra at once. The"
                        + " pictures of each prompt arrive together as one album when the last is ready.");
    }

    @Test
    void aModelThatRefusesIsLeftOutOfTheAlbumWithALineSayingWhichAndWhy() throws Exception {
        long user = LocalBots.newUser();
        String prompt = "гавань в тумане " + user;
        replicate.failNext("bytedance/seedream-3", Fault.REFUSE);

        telegram.userSends(user, "Борис", "ru", "/compare " + prompt);

        List<BotMessage> album = telegram.awaitBotMessages(user, 2, BotMessage::isPhoto, WAIT);
        BotMessage why = telegram.awaitBotMessage(user, m -> m.text() != null && m.text().startsWith("Модель"), WAIT);
        JobsQueue.awaitDrained(bot, WAIT);
        assertThat(album).extracting(BotMessage::caption).containsExactly("Ideogram v3 Turbo\n" + prompt,
                "Imagen 4 Ultra");
        assertThat(album.get(0).json().path("media_group_id").asText())
                .isEqualTo(album.get(1).json().path("media_group_id").asText()).isNotEmpty();
        assertThat(why.text()).isEqualTo("Модель Seedream 3 не попала в сравнение для «" + prompt + "»: она"
                + " отказалась. Она сочла запрос или картинку недопустимыми; попробуйте сформулировать иначе.");
        assertThat(telegram.botMessages(user)).filteredOn(BotMessage::isPhoto).hasSize(2);
        assertThat(predictionsFor(prompt)).hasSize(3);
        assertThat(usage(user, "ru")).startsWith("Картинок сегодня: 2,");
    }

    @Test
    void upscaleUnderAResultSendsALargerFileCountedOnceThoughTelegramDeliveredTheTapTwice() throws Exception {
        long user = LocalBots.newUser();
        String prompt = "a lighthouse at dusk " + user;
        telegram.userSends(user, "Chen", "en", prompt + " --ar 16:9 --n 1");
        BotMessage result = telegram.awaitBotMessage(user, BotMessage::isPhoto, WAIT);
        assertThat(result.buttonLabels()).containsExactly("🔁 Again", "🖼 Full size", "🎬 Animate", "🔍 Upscale");
        JobsQueue.awaitDrained(bot, WAIT);
        // The webhook counts the tap, then SQS refuses its job through every retry of the SDK: Telegram gets a 500 and
        // delivers the tap again.
        sqsFaults.failNextBatches(4);

        telegram.userTaps(user, result, "🔍 Upscale");

        BotMessage larger = telegram.awaitBotMessage(user, m -> "document".equals(m.mediaKind()), WAIT);
        JobsQueue.awaitDrained(bot, WAIT);
        assertThat(sqsFaults.allHappened()).as("the tap was delivered again").isTrue();
        assertThat(larger.replyToMessageId()).isEqualTo(result.messageId());
        assertThat(larger.caption()).isEqualTo("1/1 · Recraft Crisp Upscale\n" + prompt);
        assertThat(larger.replyMarkup()).isNull();
        BufferedImage original = ImageIO.read(new ByteArrayInputStream(result.fileBytes()));
        BufferedImage file = ImageIO.read(new ByteArrayInputStream(larger.fileBytes()));
        assertThat(file.getWidth()).isEqualTo(2 * original.getWidth());
        assertThat(file.getHeight()).isEqualTo(2 * original.getHeight());
        assertThat(replicate.predictions()).filteredOn(p -> p.model().equals("recraft-ai/recraft-crisp-upscale")
                && String.valueOf(p.input().get("image")).contains("/inputs/" + user + "/")).singleElement()
                .satisfies(p -> assertThat(p.input()).containsOnlyKeys("image"));
        assertThat(telegram.botMessages(user)).filteredOn(m -> "document".equals(m.mediaKind())).hasSize(1);
        assertThat(usage(user, "en")).as("the picture and its upscale").startsWith("Images today: 2,");
    }

    @Test
    void seedsSevenAndEightReachTheModelAndTheCaptionsAndTheOriginalsNameSayThem() throws Exception {
        long user = LocalBots.newUser();
        String prompt = "a kite over the sea " + user;

        telegram.userSends(user, "Dana", "en", prompt + " --seed 7 --n 2");

        List<BotMessage> photos = telegram.awaitBotMessages(user, 2, BotMessage::isPhoto, WAIT);
        assertThat(predictionsFor(prompt)).extracting(p -> ((Number) p.input().get("seed")).longValue())
                .containsExactlyInAnyOrder(7L, 8L);
        assertThat(photos).extracting(BotMessage::caption).containsExactlyInAnyOrder(
                "1/2 · Ideogram v3 Turbo · seed 7\n" + prompt, "2/2 · Ideogram v3 Turbo · seed 8\n" + prompt);
        BotMessage seven = photos.stream().filter(p -> p.caption().contains("seed 7")).findFirst().orElseThrow();

        telegram.userTaps(user, seven, "🖼 Full size");
        telegram.userTaps(user, seven, "🔁 Again");

        BotMessage original = telegram.awaitBotMessage(user, m -> "document".equals(m.mediaKind()), WAIT);
        assertThat(original.json().at("/document/file_name").asText()).contains("-seed-7.");
        BotMessage again = telegram.awaitBotMessage(user,
                m -> m.isPhoto() && Integer.valueOf(seven.messageId()).equals(m.replyToMessageId()), WAIT);
        assertThat(again.caption()).isEqualTo("1/1 · Ideogram v3 Turbo · seed 7\n" + prompt);
        assertThat(predictionsFor(prompt)).extracting(p -> ((Number) p.input().get("seed")).longValue())
                .as("🔁 Again asks for the same request: the seed it named").containsExactlyInAnyOrder(7L, 8L, 7L);
        assertThat(again.fileBytes()).as("the same seed draws the same picture").isEqualTo(seven.fileBytes());
    }

    private static String usage(long user, String language) {
        telegram.userSends(user, "Someone", language, "/usage");
        return telegram.awaitBotMessage(user, m -> m.text() != null && m.text().contains("UTC"), WAIT).text();
    }

    private static List<Prediction> predictionsFor(String prompt) {
        return replicate.predictions().stream().filter(p -> prompt.equals(p.input().get("prompt"))).toList();
    }

    private static double ratioOf(BotMessage photo) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(photo.fileBytes()));
        return (double) image.getWidth() / image.getHeight();
    }
}
