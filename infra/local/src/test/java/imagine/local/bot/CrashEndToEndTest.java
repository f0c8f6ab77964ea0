package imagine.local.bot;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.local.replicate.LocalReplicate;
import imagine.local.replicate.Prediction;
import imagine.local.telegram.BotMessage;
import imagine.local.telegram.LocalTelegram;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Workers that die halfway. The jobs queue's visibility timeout is cut to 20 s here (720 s in the
 * template) so that a message whose worker died comes back within the test, as it would on Lambda.
 */
class CrashEndToEndTest {
    private static final Duration LATENCY = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(120);

    private static LocalBot bot;
    private static LocalTelegram telegram;
    private static LocalReplicate replicate;

    @BeforeAll
    static void start() {
        bot = LocalBot.start(Path.of("../.."), LocalBot.Settings.forTests(LATENCY), Map.of());
        telegram = bot.telegram();
        replicate = bot.replicate();
        // Still longer than a receive takes on a busy machine: a shorter one would redeliver messages that are
        // being worked on, which the template's 720 s rules out.
        JobsQueue.shortenVisibilityTimeout(bot, 20);
    }

    @AfterAll
    static void stop() {
        bot.close();
    }

    @Test
    void aWorkerKilledWhileThePredictionRunsIsResumedWithThatPrediction() throws Exception {
        long user = 7001;
        telegram.userSends(user, "Ivy", "en", "a clock tower in fog");
        Prediction started = awaitPrediction("a clock tower in fog");

        int killed = bot.platform().function("WorkerFunction").discardAll();

        BotMessage photo = telegram.awaitBotMessage(user, BotMessage::isPhoto, WAIT);
        assertThat(killed).as("a running worker was killed").isPositive();
        assertThat(photo.caption()).endsWith("a clock tower in fog");
        assertThat(predictionsFor("a clock tower in fog")).extracting(Prediction::id).containsExactly(started.id());
        JobsQueue.awaitDrained(bot, WAIT);
        assertThat(telegram.botMessages(user)).filteredOn(BotMessage::isPhoto).hasSize(1);
    }

    /**
     * The guarantee that holds here is at least once, with at most one repeat: the photo reached the chat
     * but the worker never learned it, so the retry sends it again. It never pays for a second prediction.
     */
    @Test
    void aWorkerThatDiesAfterSendingBeforeRecordingItSendsThePhotoAtMostTwice() throws Exception {
        long user = 7002;
        telegram.loseNextAnswer("sendPhoto");
        telegram.userSends(user, "Jon", "en", "a bridge made of glass");

        telegram.awaitBotMessages(user, 2, BotMessage::isPhoto, WAIT);
        JobsQueue.awaitDrained(bot, WAIT);

        assertThat(telegram.botMessages(user)).filteredOn(BotMessage::isPhoto).hasSize(2);
        assertThat(predictionsFor("a bridge made of glass")).hasSize(1);
    }

    private static Prediction awaitPrediction(String prompt) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (predictionsFor(prompt).isEmpty()) {
            assertThat(System.nanoTime()).as("a prediction for " + prompt).isLessThan(deadline);
            Thread.sleep(50);
        }
        return predictionsFor(prompt).get(0);
    }

    private static List<Prediction> predictionsFor(String prompt) {
        return replicate.predictions().stream().filter(p -> prompt.equals(p.input().get("prompt"))).toList();
    }
}
