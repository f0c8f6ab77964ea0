package imagine.local.bot;

import static imagine.local.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imagine.local.aws.LocalAws;
import imagine.local.replicate.LocalReplicate;
import imagine.local.replicate.Prediction;
import imagine.local.telegram.BotMessage;
import imagine.local.telegram.LocalTelegram;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Workers that die halfway. The jobs queue's visibility timeout is cut to 10 s here (720 s in the
 * template) so that a message whose worker died comes back within the test, as it would on Lambda; the job's lease
 * is cut with it (30 s deployed, well inside the 720 s), so the message that comes back finds the lease expired.
 */
class CrashEndToEndIT {
    /** Long enough for the test to see the prediction running and kill its worker meanwhile. */
    private static final Duration LATENCY = Duration.ofSeconds(3);
    private static final Duration LEASE = Duration.ofSeconds(6);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalBot bot;
    private static LocalTelegram telegram;
    private static LocalReplicate replicate;

    @BeforeAll
    static void start() {
        bot = LocalBots.own(LocalBots.quick(LATENCY)
                .withEnvironment(Map.of("JOB_LEASE_SECONDS", Long.toString(LEASE.toSeconds()))));
        telegram = bot.telegram();
        replicate = bot.replicate();
        // Still longer than a receive takes on a busy machine: a shorter one would redeliver messages that are
        // being worked on, which the template's 720 s rules out.
        JobsQueue.shortenVisibilityTimeout(bot, 10);
    }

    @AfterAll
    static void stop() {
        bot.close();
    }

    @Test
    void aWorkerKilledWhileThePredictionRunsIsResumedWithThatPrediction() throws Exception {
        long user = LocalBots.newUser();
        telegram.userSends(user, "Ivy", "en", "a clock tower in fog");
        Prediction started = awaitPrediction("a clock tower in fog");
        awaitRecorded(started);

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
        long user = LocalBots.newUser();
        telegram.loseNextAnswer("sendPhoto");
        telegram.userSends(user, "Jon", "en", "a bridge made of glass");

        telegram.awaitBotMessages(user, 2, BotMessage::isPhoto, WAIT);
        JobsQueue.awaitDrained(bot, WAIT);

        assertThat(telegram.botMessages(user)).filteredOn(BotMessage::isPhoto).hasSize(2);
        assertThat(predictionsFor("a bridge made of glass")).hasSize(1);
    }

    private static Prediction awaitPrediction(String prompt) {
        return await("a prediction for " + prompt).atMost(WAIT)
                .until(() -> predictionsFor(prompt).stream().findFirst(), Optional::isPresent).orElseThrow();
    }

    /**
     * Waits until a job's record names the prediction: from then on any attempt resumes that prediction. (Killed
     * before, the worker leaves a claim the next attempt may take over only when the claim has expired.)
     */
    private static void awaitRecorded(Prediction prediction) {
        String bucket = bot.platform().bucketName("MediaBucket");
        try (S3Client s3 = LocalAws.defaults().s3(bot.platform().s3Endpoint())) {
            await("a job's record naming prediction " + prediction.id()).atMost(WAIT).until(() -> {
                for (S3Object record : s3.listObjectsV2(b -> b.bucket(bucket).prefix("jobs/")).contents()) {
                    JsonNode job = JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(bucket).key(record.key()))
                            .asByteArray());
                    if (prediction.id().equals(job.path("prediction_id").asText())) {
                        return true;
                    }
                }
                return false;
            });
        }
    }

    private static List<Prediction> predictionsFor(String prompt) {
        return replicate.predictions().stream().filter(p -> prompt.equals(p.input().get("prompt"))).toList();
    }
}
