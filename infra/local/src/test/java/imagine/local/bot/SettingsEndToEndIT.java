package imagine.local.bot;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.local.replicate.Fault;
import imagine.local.replicate.LocalReplicate;
import imagine.local.replicate.Prediction;
import imagine.local.telegram.ApiCall;
import imagine.local.telegram.BotMessage;
import imagine.local.telegram.LocalTelegram;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Settings picked with menu buttons, and the daily quota, through the whole path on the local platform:
 * button taps travel as callback_query updates to the webhook, the menus are edited in the local
 * Telegram, and the local model's prediction input shows which model and aspect ratio were used.
 */
class SettingsEndToEndIT {
    /**
     * A quicker model would have the bot answer these quick exchanges faster than Telegram lets one chat receive
     * messages (the replies the webhook gives in its answer are not paced like the worker's sends), and Telegram
     * drops what is over its limit.
     */
    private static final Duration LATENCY = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static LocalBot bot;
    private static LocalTelegram telegram;
    private static LocalReplicate replicate;

    @BeforeAll
    static void start() {
        bot = LocalBots.own(LocalBots.quick(LATENCY).withParameters(Map.of("DailyImageQuota", "3")));
        telegram = bot.telegram();
        replicate = bot.replicate();
    }

    @AfterAll
    static void stop() {
        bot.close();
    }

    @Test
    void aModelAndAspectRatioPickedWithButtonsMakeThePhotosAndFilesComeFullSize() throws Exception {
        long user = LocalBots.newUser();
        telegram.userSends(user, "Alice", "en", "/model");
        BotMessage models = telegram.awaitBotMessage(user, menu("Model for your prompts"), WAIT);
        assertThat(models.buttonLabels()).containsExactly("✅ Ideogram v3 Turbo", "Seedream 3", "Imagen 4 Ultra",
                "FLUX.1 Kontext Pro", "Seedance 1 Lite", "Kling 2.1");

        telegram.userTaps(user, models, "Seedream 3");
        BotMessage picked = telegram.awaitBotMessage(user, m -> m.messageId() == models.messageId() && m.editCount() == 1,
                WAIT);
        assertThat(picked.text()).startsWith("Model for your prompts: Seedream 3.");
        assertThat(picked.buttonLabels()).containsExactly("Ideogram v3 Turbo", "✅ Seedream 3", "Imagen 4 Ultra",
                "FLUX.1 Kontext Pro", "Seedance 1 Lite", "Kling 2.1");

        telegram.userSends(user, "Alice", "en", "/settings");
        BotMessage settings = telegram.awaitBotMessage(user, menu("Your settings"), WAIT);
        assertThat(settings.buttonLabels()).contains("21:9").doesNotContain("3:1");
        telegram.userTaps(user, settings, "21:9");
        BotMessage wide = telegram.awaitBotMessage(user,
                m -> m.messageId() == settings.messageId() && m.editCount() == 1, WAIT);
        assertThat(wide.text()).contains("Model: Seedream 3", "Aspect ratio: 21:9");

        telegram.userSends(user, "Alice", "en", "a lighthouse at dusk");
        BotMessage photo = telegram.awaitBotMessage(user, BotMessage::isPhoto, WAIT);
        assertThat(photo.caption()).startsWith("1/1 · Seedream 3");
        assertThat(ratioOf(photo)).isCloseTo(21.0 / 9, Offset.offset(0.02));
        assertThat(predictionFor("a lighthouse at dusk")).satisfies(p -> {
            assertThat(p.model()).isEqualTo("bytedance/seedream-3");
            assertThat(p.input()).containsEntry("aspect_ratio", "21:9");
        });

        telegram.userTaps(user, wide, "File (full size)");
        telegram.awaitBotMessage(user, m -> m.messageId() == settings.messageId() && m.editCount() == 2, WAIT);
        telegram.userSends(user, "Alice", "en", "a harbour at night");
        BotMessage file = telegram.awaitBotMessage(user, m -> "document".equals(m.mediaKind()), WAIT);
        assertThat(file.caption()).startsWith("1/1 · Seedream 3").endsWith("a harbour at night");

        assertThat(telegram.calls()).as("every tap answered at once, none refused")
                .filteredOn(call -> call.method().equals("answerCallbackQuery"))
                .extracting(ApiCall::ok).contains(true).doesNotContain(false);
    }

    @Test
    void theDailyQuotaStopsPromptsOverItAndAFailedImageDoesNotCount() throws Exception {
        long user = LocalBots.newUser();
        telegram.userSends(user, "Борис", "ru", "что-то сомнительное #refuse");
        telegram.awaitBotMessage(user, m -> m.text() != null && m.text().startsWith("Не получилось"), WAIT);
        JobsQueue.awaitDrained(bot, WAIT);

        telegram.userSends(user, "Борис", "ru", "лиса в снегу\nмаяк в сумерках");
        telegram.awaitBotMessages(user, 2, BotMessage::isPhoto, WAIT);
        telegram.userSends(user, "Борис", "ru", "город в бутылке --n 2");
        assertThat(telegram.awaitBotMessage(user, text("В сообщении"), WAIT).text())
                .isEqualTo("В сообщении 2 картинки, а на сегодня осталось только 1. Пришлите меньше запросов или --n поменьше.");
        telegram.userSends(user, "Борис", "ru", "город в бутылке");
        telegram.awaitBotMessages(user, 3, BotMessage::isPhoto, WAIT);
        telegram.userSends(user, "Борис", "ru", "ещё одна");
        assertThat(telegram.awaitBotMessage(user, text("На сегодня"), WAIT).text()).startsWith(
                "На сегодня вы использовали все 3 картинки.");
        telegram.userSends(user, "Борис", "ru", "/usage");
        assertThat(telegram.awaitBotMessage(user, text("Картинок сегодня"), WAIT).text())
                .startsWith("Картинок сегодня: 3 из 3, осталось 0.");

        assertThat(replicate.predictions()).filteredOn(p -> "ещё одна".equals(p.input().get("prompt"))).isEmpty();
    }

    @Test
    void anImageThatEndsInTheDeadLetterQueueIsNotCounted() throws Exception {
        long user = LocalBots.newUser();
        for (int i = 0; i < 5; i++) {
            replicate.failNext("google/imagen-4-ultra", Fault.SERVER_ERROR);
        }
        telegram.userSends(user, "Gil", "en", "a glass whale --model imagen");
        telegram.awaitBotMessage(user, text("Sorry, image 1/1"), WAIT);
        JobsQueue.awaitDrained(bot, WAIT);

        telegram.userSends(user, "Gil", "en", "/usage");
        assertThat(telegram.awaitBotMessage(user, text("Images today"), WAIT).text())
                .startsWith("Images today: 0 of 3 used, 3 left.");
    }

    private static Predicate<BotMessage> menu(String start) {
        return m -> m.replyMarkup() != null && m.text() != null && m.text().startsWith(start);
    }

    private static Predicate<BotMessage> text(String start) {
        return m -> m.text() != null && m.text().startsWith(start);
    }

    private static Prediction predictionFor(String prompt) {
        return replicate.predictions().stream().filter(p -> prompt.equals(p.input().get("prompt"))).findFirst()
                .orElseThrow();
    }

    private static double ratioOf(BotMessage photo) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(photo.fileBytes()));
        return (double) image.getWidth() / image.getHeight();
    }
}
