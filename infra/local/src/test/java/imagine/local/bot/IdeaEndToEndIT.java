package imagine.local.bot;

import static imagine.local.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import imagine.local.replicate.LocalReplicate;
import imagine.local.replicate.Prediction;
import imagine.local.telegram.BotMessage;
import imagine.local.telegram.LocalTelegram;
import imagine.local.telegram.Message;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * {@code /idea} and {@code /write} on the local platform: the webhook enqueues one planning job, the worker
 * asks the local text model, enqueues the images itself, and every image and text comes back over the local
 * Telegram, from the shaded jars through the real AWS SDK.
 */
@ResourceLock(value = LocalBots.STANDARD_LOCK, mode = ResourceAccessMode.READ)
class IdeaEndToEndIT {
    private static final String TEXT_MODEL = "meta/meta-llama-3-8b-instruct";
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
    void aRussianIdeaBecomesNCaptionedPhotosOfRussianPromptsEachAReplyToTheIdea() throws Exception {
        long user = LocalBots.newUser();
        Message sent = telegram.userSends(user, "Борис", "ru", "/idea маяк на скале " + user + " --n 3 --ar 16:9");

        List<BotMessage> photos = telegram.awaitBotMessages(user, 3, BotMessage::isPhoto, WAIT);

        assertThat(telegram.botMessages(user)).filteredOn(m -> m.text() != null).extracting(BotMessage::text)
                .containsExactly("Принято: пишу 3 запроса по вашей идее, потом рисую их, модель Ideogram v3 Turbo. "
                        + "Каждая картинка придёт сюда, как только будет готова, с запросом, по которому она нарисована.");
        assertThat(photos).allSatisfy(photo -> {
            assertThat(photo.replyToMessageId()).isEqualTo(sent.messageId());
            assertThat(photo.width()).isGreaterThan(photo.height());
        });
        assertThat(photos).extracting(photo -> photo.caption().lines().findFirst().orElseThrow())
                .containsExactlyInAnyOrder("1/3 · Ideogram v3 Turbo", "2/3 · Ideogram v3 Turbo", "3/3 · Ideogram v3 Turbo");
        List<String> prompts = photos.stream().map(photo -> photo.caption().lines().skip(1).findFirst().orElseThrow())
                .toList();
        assertThat(prompts).doesNotHaveDuplicates()
                .allSatisfy(prompt -> assertThat(prompt).startsWith("маяк на скале " + user + ", ").matches("[^a-zA-Z]+"));

        List<Prediction> text = predictions(TEXT_MODEL, "маяк на скале " + user);
        assertThat(text).singleElement().satisfies(p -> assertThat(String.valueOf(p.input().get("system_prompt")))
                .contains("exactly 3 different image prompts", "Russian"));
        assertThat(replicate.predictions()).filteredOn(p -> prompts.contains(p.input().get("prompt")))
                .hasSize(3).allSatisfy(p -> assertThat(p.input()).containsEntry("aspect_ratio", "16:9"));
    }

    @Test
    void aLongWriteArrivesAsSeveralMessagesInOrderEachWithinTelegramsLimit() throws Exception {
        long user = LocalBots.newUser();
        Message sent = telegram.userSends(user, "Alice", "en", "/write a post about owls " + user + " #long");

        Prediction written = awaitPrediction(TEXT_MODEL, "a post about owls " + user + " #long");
        String text = String.join("", ((List<?>) written.output()).stream().map(String::valueOf).toList()).strip();
        assertThat(text.length()).isGreaterThan(2 * 4096);
        List<BotMessage> parts = telegram.awaitBotMessages(user, 3,
                m -> m.text() != null && !m.text().startsWith("Got it"), WAIT);
        JobsQueue.awaitDrained(bot, WAIT);

        List<String> all = telegram.botMessages(user).stream().map(BotMessage::text).toList();
        assertThat(all.get(0)).isEqualTo("Got it: writing. The text arrives here in a moment.");
        List<String> texts = all.subList(1, all.size());
        assertThat(texts).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(part -> assertThat(part.length()).isLessThanOrEqualTo(4096));
        assertThat(String.join("\n\n", texts)).isEqualTo(text);
        assertThat(parts).allSatisfy(part -> assertThat(part.replyToMessageId()).isEqualTo(sent.messageId()));
    }

    @Test
    void aPlanningJobDeliveredTwiceAtOnceAsksTheTextModelOnceAndDrawsEachPromptOnce() throws Exception {
        long user = LocalBots.newUser();
        Message hello = telegram.userSends(user, "Carol", "en", "/start");
        telegram.awaitBotMessage(user, m -> m.text() != null, WAIT);
        String idea = "a kite festival " + user;
        String update = new ObjectMapper().writeValueAsString(Map.of("update_id", 990000 + user, "message", Map.of(
                "message_id", hello.messageId(), "date", 1795514400, "text", "/idea " + idea + " --n 2",
                "chat", Map.of("id", user, "type", "private"),
                "from", Map.of("id", user, "is_bot", false, "first_name", "Carol", "language_code", "en"))));

        List<CompletableFuture<HttpResponse<String>>> deliveries = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 2; i++) {
            deliveries.add(http.sendAsync(HttpRequest.newBuilder(bot.webhookUrl())
                    .header("X-Telegram-Bot-Api-Secret-Token", LocalBot.LOCAL_WEBHOOK_SECRET)
                    .POST(HttpRequest.BodyPublishers.ofString(update)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        deliveries.forEach(delivery -> assertThat(delivery.join().statusCode()).isEqualTo(200));

        telegram.awaitBotMessages(user, 2, BotMessage::isPhoto, WAIT);
        JobsQueue.awaitDrained(bot, WAIT);

        assertThat(predictions(TEXT_MODEL, idea)).hasSize(1);
        assertThat(replicate.predictions()).filteredOn(p -> !p.model().equals(TEXT_MODEL)
                && String.valueOf(p.input().get("prompt")).startsWith(idea + ", ")).hasSize(2);
        assertThat(telegram.botMessages(user)).filteredOn(BotMessage::isPhoto).hasSize(2);
    }

    @Test
    void anIdeaTheTextModelRefusesIsExplainedAndNothingIsDrawn() throws Exception {
        long user = LocalBots.newUser();
        telegram.userSends(user, "Dan", "en", "/idea something dubious " + user + " #refuse");

        BotMessage explanation = telegram.awaitBotMessage(user,
                m -> m.text() != null && m.text().startsWith("The text model"), WAIT);

        assertThat(explanation.text()).isEqualTo("The text model declined the idea \"something dubious " + user
                + " #refuse\", so there are no pictures. Try wording it differently.");
        assertThat(predictions(TEXT_MODEL, "something dubious " + user + " #refuse")).hasSize(1);
        assertThat(replicate.predictions()).filteredOn(p -> !p.model().equals(TEXT_MODEL)
                && String.valueOf(p.input().get("prompt")).contains("something dubious " + user)).isEmpty();
    }

    @Test
    void aTypedIdeaWithABlockedTermIsRefusedBeforeAnythingIsPaidFor() throws Exception {
        long user = LocalBots.newUser();
        telegram.userSends(user, "Eve", "en", "/idea a gore festival " + user);

        BotMessage refusal = telegram.awaitBotMessage(user, m -> m.text() != null, WAIT);

        assertThat(refusal.text()).isEqualTo("I can't take \"a gore festival " + user + "\": it contains \"gore\", "
                + "which this bot does not draw or write about.");
        assertThat(replicate.predictions()).filteredOn(p -> String.valueOf(p.input().get("prompt"))
                .contains("festival " + user)).isEmpty();
    }

    private static List<Prediction> predictions(String model, String prompt) {
        return replicate.predictions().stream()
                .filter(p -> p.model().equals(model) && prompt.equals(p.input().get("prompt"))).toList();
    }

    private static Prediction awaitPrediction(String model, String prompt) throws InterruptedException {
        Prediction started = await("a prediction of " + model + " for " + prompt).atMost(WAIT)
                .until(() -> predictions(model, prompt).stream().findFirst(), Optional::isPresent).orElseThrow();
        return replicate.awaitCompleted(started.id(), WAIT);
    }
}
