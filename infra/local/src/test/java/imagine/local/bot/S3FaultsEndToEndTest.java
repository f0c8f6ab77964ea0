package imagine.local.bot;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.local.replicate.LocalReplicate;
import imagine.local.replicate.Prediction;
import imagine.local.s3.S3Faults;
import imagine.local.s3.S3Faults.Operation;
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
 * S3 failing or slow in the middle of a job, on the local platform. Four 500s in a row outlast the SDK's own
 * retries, so the worker sees the failure and its message is retried; whatever happens, a job ends with one
 * prediction and one photo.
 */
class S3FaultsEndToEndTest {
    private static final Duration LATENCY = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final AtomicLong USERS = new AtomicLong(9300);

    private static LocalBot bot;
    private static LocalTelegram telegram;
    private static LocalReplicate replicate;
    private static S3Faults faults;

    @BeforeAll
    static void start() {
        bot = LocalBot.start(Path.of("../.."), LocalBot.Settings.forTests(LATENCY), Map.of());
        telegram = bot.telegram();
        replicate = bot.replicate();
        faults = bot.platform().s3Faults();
        JobsQueue.shortenVisibilityTimeout(bot, 20);
    }

    @AfterAll
    static void stop() {
        bot.close();
    }

    @Test
    void theOutputCannotBeStoredAtFirstAndIsStoredOnTheRetry() throws Exception {
        faults.failNext(Operation.PUT, "media/", 4);

        assertOnePhotoAndOnePrediction("a kettle singing on a stove");
    }

    @Test
    void theStoredOutputCannotBeReadAtFirstAndIsSentOnTheRetry() throws Exception {
        faults.failNext(Operation.GET, "media/", 4);

        assertOnePhotoAndOnePrediction("a kite tangled in a tree");
    }

    @Test
    void jobRecordWritesWhoseAnswersAreLostAreRecognisedAsTheirOwn() throws Exception {
        faults.failNextAfterWrite("jobs/", 3);

        assertOnePhotoAndOnePrediction("an owl reading by candlelight");
    }

    @Test
    void jobRecordWritesFailingOutrightAreRetried() throws Exception {
        faults.failNext(Operation.PUT, "jobs/", 8);

        assertOnePhotoAndOnePrediction("a lighthouse keeper's cat");
    }

    @Test
    void slowReadsAndWritesOnlySlowTheJobDown() throws Exception {
        faults.slowNext(Operation.GET, "media/", 1, Duration.ofSeconds(3));
        faults.slowNext(Operation.PUT, "jobs/", 2, Duration.ofSeconds(3));
        faults.slowNext(Operation.PUT, "media/", 1, Duration.ofSeconds(3));

        assertOnePhotoAndOnePrediction("a train crossing a viaduct");
    }

    private static void assertOnePhotoAndOnePrediction(String prompt) throws Exception {
        long user = USERS.incrementAndGet();
        telegram.userSends(user, "Faye", "en", prompt);

        BotMessage photo = telegram.awaitBotMessage(user, BotMessage::isPhoto, WAIT);
        JobsQueue.awaitDrained(bot, WAIT);

        assertThat(faults.allHappened()).as("the cued faults happened").isTrue();
        assertThat(photo.caption()).endsWith(prompt);
        assertThat(telegram.botMessages(user)).filteredOn(BotMessage::isPhoto).hasSize(1);
        List<Prediction> predictions = replicate.predictions().stream()
                .filter(p -> prompt.equals(p.input().get("prompt"))).toList();
        assertThat(predictions).as("paid once").hasSize(1);
    }
}
