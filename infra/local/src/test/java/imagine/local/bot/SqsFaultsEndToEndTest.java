package imagine.local.bot;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.local.aws.SqsFaults;
import imagine.local.replicate.LocalReplicate;
import imagine.local.replicate.Prediction;
import imagine.local.telegram.BotMessage;
import imagine.local.telegram.LocalTelegram;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SQS failing while the webhook enqueues, on the local platform: the webhook's invocation fails, the API
 * Gateway stand-in answers 500, the local Telegram delivers the update again, and the end state is one
 * acknowledgement, one prediction and one photo per image, although some jobs were enqueued more than once.
 */
class SqsFaultsEndToEndTest {
    private static final Duration LATENCY = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final AtomicLong USERS = new AtomicLong(9500);

    private static LocalBot bot;
    private static LocalTelegram telegram;
    private static LocalReplicate replicate;
    private static SqsFaults faults;

    @BeforeAll
    static void start() {
        bot = LocalBot.start(Path.of("../.."), LocalBot.Settings.forTests(LATENCY)
                .withParameters(Map.of("ImagesPerPrompt", "2")), Map.of());
        telegram = bot.telegram();
        replicate = bot.replicate();
        faults = bot.platform().sqsFaults();
    }

    @AfterAll
    static void stop() {
        bot.close();
    }

    @Test
    void sendMessageBatchFailingWhollyIsRedeliveredByTelegram() throws Exception {
        faults.failNextBatches(4);

        assertOneSetOfRepliesFor("a heron in the reeds\na fox on a fence");
    }

    @Test
    void sendMessageBatchRefusingSomeEntriesOnEveryTryIsRedeliveredByTelegram() throws Exception {
        faults.refuseEntriesOfNextBatches(3);

        assertOneSetOfRepliesFor("a tram in the snow\na cactus in a teacup");
    }

    private static void assertOneSetOfRepliesFor(String message) throws Exception {
        long user = USERS.incrementAndGet();
        List<String> prompts = message.lines().toList();
        telegram.userSends(user, "Hal", "en", message);

        telegram.awaitBotMessages(user, 4, BotMessage::isPhoto, WAIT);
        JobsQueue.awaitDrained(bot, WAIT);

        assertThat(faults.allHappened()).as("the cued failures happened").isTrue();
        assertThat(telegram.botMessages(user)).filteredOn(BotMessage::isPhoto).hasSize(4);
        assertThat(telegram.botMessages(user)).filteredOn(m -> m.text() != null).extracting(BotMessage::text)
                .as("one acknowledgement: the failed delivery's answer was never executed")
                .containsExactly("Got it: 2 prompts, 4 images with Ideogram v3 Turbo. Each arrives here as soon as it is ready.");
        List<Prediction> predictions = replicate.predictions().stream()
                .filter(p -> prompts.contains(String.valueOf(p.input().get("prompt")))).toList();
        assertThat(predictions).as("one prediction per image").hasSize(4);
    }
}
