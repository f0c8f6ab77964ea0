package imagine.local.bot;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.local.replicate.LocalReplicate;
import imagine.local.replicate.Prediction;
import imagine.local.s3.S3Faults;
import imagine.local.s3.S3Faults.Operation;
import imagine.local.telegram.BotMessage;
import imagine.local.telegram.LocalTelegram;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * S3 failing or slow in the middle of a job, on the local platform. Four 500s in a row outlast the SDK's own
 * retries, so the worker sees the failure and its message is retried; whatever happens, a job ends with one
 * prediction and one photo.
 */
@ResourceLock(LocalBots.STANDARD_LOCK)
class S3FaultsEndToEndIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static LocalBot bot;
    private static LocalTelegram telegram;
    private static LocalReplicate replicate;
    private static S3Faults faults;

    @BeforeAll
    static void start() {
        bot = LocalBots.shared(LocalBots.STANDARD);
        telegram = bot.telegram();
        replicate = bot.replicate();
        faults = bot.platform().s3Faults();
    }

    /** Faults cued here hit whichever job comes next: no job of an earlier test may be left to take them. */
    @BeforeEach
    void nothingElseInFlight() {
        JobsQueue.awaitDrained(bot, WAIT);
    }

    @Test
    void theOutputCannotBeStoredAtFirstAndIsStoredOnTheRetry() {
        faults.failNext(Operation.PUT, "media/", 4);

        assertOnePhotoAndOnePrediction("a kettle singing on a stove");
    }

    /**
     * The run that stored the output sends the bytes it holds; a run after a failed send reads them back from S3. Five
     * receives in all: the send, three reads, the photo.
     */
    @Test
    void theStoredOutputCannotBeReadAtFirstAndIsSentOnTheRetry() {
        telegram.failNext("sendPhoto", 500, "Internal Server Error", null);
        faults.failNext(Operation.GET, "media/", 3);

        assertOnePhotoAndOnePrediction("a kite tangled in a tree");
    }

    @Test
    void jobRecordWritesWhoseAnswersAreLostAreRecognisedAsTheirOwn() {
        faults.failNextAfterWrite("jobs/", 3);

        assertOnePhotoAndOnePrediction("an owl reading by candlelight");
    }

    @Test
    void jobRecordWritesFailingOutrightAreRetried() {
        faults.failNext(Operation.PUT, "jobs/", 8);

        assertOnePhotoAndOnePrediction("a lighthouse keeper's cat");
    }

    @Test
    void slowReadsAndWritesOnlySlowTheJobDown() {
        faults.slowNext(Operation.GET, "users/", 1, Duration.ofSeconds(3));
        faults.slowNext(Operation.PUT, "jobs/", 2, Duration.ofSeconds(3));
        faults.slowNext(Operation.PUT, "media/", 1, Duration.ofSeconds(3));

        assertOnePhotoAndOnePrediction("a train crossing a viaduct");
    }

    private static void assertOnePhotoAndOnePrediction(String drawing) {
        long user = LocalBots.newUser();
        String prompt = drawing + " " + user;
        telegram.userSends(user, "Faye", "en", prompt + " --n 1");

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
