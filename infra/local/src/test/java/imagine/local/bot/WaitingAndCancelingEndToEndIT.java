package imagine.local.bot;

import static imagine.local.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import imagine.local.aws.LocalAws;
import imagine.local.replicate.LocalReplicate;
import imagine.local.replicate.Prediction;
import imagine.local.telegram.BotMessage;
import imagine.local.telegram.LocalTelegram;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * In callback mode, scaled down: check-ups a second apart (deployed: two minutes) and a model that takes seven. A job
 * whose prediction outlives five check-ups waits on the queue without counting toward the dead-letter queue, and
 * {@code /cancel} reaches a running prediction on Replicate within seconds, not at the job's next check-up.
 */
class WaitingAndCancelingEndToEndIT {
    private static final Duration LATENCY = Duration.ofSeconds(7);
    private static final Duration CHECK = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static LocalBot bot;
    private static LocalTelegram telegram;
    private static LocalReplicate replicate;

    @BeforeAll
    static void start() {
        bot = LocalBots.own(LocalBots.quick(LATENCY).withCallbacks(CHECK));
        telegram = bot.telegram();
        replicate = bot.replicate();
    }

    @AfterAll
    static void stop() {
        bot.close();
    }

    @Test
    void aVideoThatOutlivesFiveCheckUpsArrivesAndNothingReachesTheDeadLetterQueue() {
        long user = LocalBots.newUser();
        telegram.userSends(user, "Vera", "en", "/video waves at dusk " + user);

        BotMessage video = telegram.awaitBotMessage(user, m -> "video".equals(m.mediaKind())
                || "animation".equals(m.mediaKind()), WAIT);

        Prediction prediction = only(predictionsFor("waves at dusk " + user));
        assertThat(Duration.between(prediction.createdAt(), prediction.completedAt()))
                .as("the prediction outlived five check-ups").isGreaterThan(CHECK.multipliedBy(5));
        assertThat(video.caption()).contains("waves at dusk");
        assertThat(telegram.botMessages(user)).filteredOn(m -> m.text() != null).extracting(BotMessage::text)
                .as("the acknowledgement and nothing else").hasSize(1).allMatch(text -> text.startsWith("Got it"));
        assertThat(deadLetters()).isZero();
    }

    @Test
    void cancelStopsARunningPredictionOnReplicateWithinSecondsAndTheDayIsNotCharged() {
        long user = LocalBots.newUser();
        String prompt = "a fox that never finishes " + user + " #hang --n 1";
        telegram.userSends(user, "Carl", "en", prompt);
        Prediction running = await("the prediction running").atMost(WAIT)
                .until(() -> predictionsFor(prompt.replace(" --n 1", "")), found -> found.size() == 1).get(0);

        telegram.userSends(user, "Carl", "en", "/cancel");
        Instant canceledAt = Instant.now();

        Prediction canceled = await("the prediction canceled on Replicate").atMost(Duration.ofSeconds(15))
                .until(() -> replicate.predictions().stream().filter(p -> p.id().equals(running.id())).findFirst()
                        .orElseThrow(), p -> p.status() == Prediction.Status.CANCELED);
        assertThat(Duration.between(canceledAt, canceled.completedAt())).as("within seconds")
                .isLessThan(Duration.ofSeconds(10));
        JobsQueue.awaitSettled(bot, WAIT);
        telegram.userSends(user, "Carl", "en", "/usage");
        BotMessage usage = telegram.awaitBotMessage(user, m -> m.text() != null && m.text().startsWith("Images today"),
                WAIT);
        assertThat(usage.text()).as("the canceled job gave the day's image back").startsWith("Images today: 0");
        assertThat(telegram.botMessages(user)).noneMatch(BotMessage::isPhoto)
                .noneMatch(m -> m.text() != null && m.text().startsWith("Sorry"));
    }

    private static long deadLetters() {
        try (SqsClient sqs = LocalAws.defaults().sqs(bot.platform().sqsEndpoint())) {
            var attributes = sqs.getQueueAttributes(b -> b.queueUrl(bot.platform().queueUrl("JobsDeadLetterQueue"))
                    .attributeNames(QueueAttributeName.ALL)).attributes();
            return Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    + Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        }
    }

    private static Prediction only(List<Prediction> predictions) {
        assertThat(predictions).as("one prediction, paid once").hasSize(1);
        return predictions.get(0);
    }

    private static List<Prediction> predictionsFor(String prompt) {
        return replicate.predictions().stream().filter(p -> prompt.equals(p.input().get("prompt"))).toList();
    }
}
