package imagine.local.bot;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.local.replicate.LocalReplicate;
import imagine.local.replicate.Prediction;
import imagine.local.telegram.BotMessage;
import imagine.local.telegram.LocalTelegram;
import imagine.local.telegram.Message;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Results through the whole path on the local platform. The buttons under a result: a tap travels as a
 * callback_query update to the webhook, which reads the result's record in S3 and enqueues a job; the worker
 * answers the result. Album mode: the images of a prompt, each made by its own worker, arrive as one album.
 */
@ResourceLock(value = LocalBots.STANDARD_LOCK, mode = ResourceAccessMode.READ)
class ResultsEndToEndIT {
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

    @Test
    void againFullSizeAndAnimateUnderARealResultEachAnswerThatResult() throws Exception {
        long user = LocalBots.newUser();
        String prompt = "a lighthouse at dusk " + user;
        telegram.userSends(user, "Alice", "en", prompt + " --ar 16:9 --n 1");
        BotMessage result = telegram.awaitBotMessage(user, BotMessage::isPhoto, WAIT);
        assertThat(result.buttonLabels()).containsExactly("🔁 Again", "🖼 Full size", "🎬 Animate", "🔍 Upscale");

        telegram.userTaps(user, result, "🔁 Again");
        BotMessage again = telegram.awaitBotMessage(user,
                m -> m.isPhoto() && Integer.valueOf(result.messageId()).equals(m.replyToMessageId()), WAIT);
        assertThat(again.caption()).isEqualTo("1/1 · Ideogram v3 Turbo\n" + prompt);
        assertThat(predictionsFor(prompt)).hasSize(2).allSatisfy(p -> {
            assertThat(p.model()).isEqualTo("ideogram-ai/ideogram-v3-turbo");
            assertThat(p.input().get("aspect_ratio")).isEqualTo("16:9");
        });

        telegram.userTaps(user, result, "🖼 Full size");
        BotMessage original = telegram.awaitBotMessage(user, m -> "document".equals(m.mediaKind()), WAIT);
        assertThat(original.replyToMessageId()).isEqualTo(result.messageId());
        BufferedImage file = ImageIO.read(new ByteArrayInputStream(original.fileBytes()));
        assertThat((double) file.getWidth() / file.getHeight()).isCloseTo(16.0 / 9, org.assertj.core.data.Offset.offset(0.02));
        assertThat(original.replyMarkup()).isNull();

        telegram.userTaps(user, result, "🎬 Animate");
        BotMessage video = telegram.awaitBotMessage(user,
                m -> ("video".equals(m.mediaKind()) || "animation".equals(m.mediaKind()))
                        && Integer.valueOf(result.messageId()).equals(m.replyToMessageId()), WAIT);
        assertThat(video.caption()).isEqualTo("1/1 · Kling 2.1\n" + prompt);
        assertThat(video.buttonLabels()).containsExactly("🔁 Again", "🖼 Full size");
        assertThat(predictionsFor(prompt)).filteredOn(p -> p.model().equals("kwaivgi/kling-v2.1")).singleElement()
                .satisfies(p -> assertThat(String.valueOf(p.input().get("start_image")))
                        .contains("/inputs/" + user + "/", "X-Amz-Expires=900"));
        assertThat(telegram.botMessages(user)).filteredOn(m -> m.text() != null).as("only the prompt's acknowledgement")
                .hasSize(1);
    }

    @Test
    void inAlbumModeThreeImagesOfAPromptArriveAsOneMediaGroup() throws Exception {
        long user = LocalBots.newUser();
        telegram.userSends(user, "Boris", "ru", "/settings");
        BotMessage settings = telegram.awaitBotMessage(user, m -> m.text() != null && m.text().startsWith("Ваши настройки"),
                WAIT);
        telegram.userTaps(user, settings, "Альбомом");
        telegram.awaitBotMessage(user, m -> m.messageId() == settings.messageId() && m.editCount() == 1, WAIT);
        String prompt = "гавань в тумане " + user;

        Message asked = telegram.userSends(user, "Boris", "ru", prompt + " --n 3");

        List<BotMessage> album = telegram.awaitBotMessages(user, 3, BotMessage::isPhoto, WAIT);
        assertThat(album).extracting(m -> m.json().path("media_group_id").asText()).doesNotContain("").containsOnly(
                album.get(0).json().path("media_group_id").asText());
        assertThat(album).extracting(BotMessage::replyToMessageId).containsOnly(asked.messageId());
        assertThat(album.get(0).caption()).isEqualTo("Ideogram v3 Turbo\n" + prompt);
        assertThat(album.subList(1, 3)).extracting(BotMessage::caption).containsOnlyNulls();
        assertThat(album).extracting(BotMessage::replyMarkup).containsOnlyNulls();
        assertThat(predictionsFor(prompt)).hasSize(3);
        assertThat(telegram.calls()).filteredOn(call -> call.method().equals("sendMediaGroup")
                && call.chatId() != null && call.chatId() == user).hasSize(1);
    }

    private static List<Prediction> predictionsFor(String prompt) {
        return replicate.predictions().stream().filter(p -> prompt.equals(p.input().get("prompt"))).toList();
    }
}
