package imagine.local.bot;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.local.aws.SqsFaults;
import imagine.local.replicate.LocalReplicate;
import imagine.local.replicate.Prediction;
import imagine.local.telegram.BotMessage;
import imagine.local.telegram.LocalTelegram;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * SQS failing while the webhook enqueues, on the local platform: the webhook's invocation fails, the API
 * Gateway stand-in answers 500, the local Telegram delivers the update again, and the end state is one
 * acknowledgement, one prediction and one photo per image, although some jobs were enqueued more than once.
 */
@ResourceLock(LocalBots.STANDARD_LOCK)
class SqsFaultsEndToEndIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static LocalBot bot;
    private static LocalTelegram telegram;
    private static LocalReplicate replicate;
    private static SqsFaults faults;

    @BeforeAll
    static void start() {
        bot = LocalBots.shared(LocalBots.STANDARD);
        telegram = bot.telegram();
        replicate = bot.replicate();
        faults = bot.platform().sqsFaults();
    }

    /** Faults cued here hit whichever job comes next: no job of an earlier test may be left to take them. */
    @BeforeEach
    void nothingElseInFlight() {
        JobsQueue.awaitDrained(bot, WAIT);
    }

    @Test
    void sendMessageBatchFailingWhollyIsRedeliveredByTelegram() {
        faults.failNextBatches(4);

        assertOneSetOfRepliesFor("a heron in the reeds", "a fox on a fence");
    }

    @Test
    void sendMessageBatchRefusingSomeEntriesOnEveryTryIsRedeliveredByTelegram() {
        faults.refuseEntriesOfNextBatches(3);

        assertOneSetOfRepliesFor("a tram in the snow", "a cactus in a teacup");
    }

    private static void assertOneSetOfRepliesFor(String... drawings) {
        long user = LocalBots.newUser();
        List<String> prompts = Arrays.stream(drawings).map(drawing -> drawing + " " + user).toList();
        telegram.userSends(user, "Hal", "en", String.join("\n", prompts));

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
