package imagine.local.bot;

import static imagine.local.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imagine.local.aws.LocalAws;
import imagine.local.replicate.LocalReplicate;
import imagine.local.replicate.Prediction;
import imagine.local.replicate.WebhookCue;
import imagine.local.replicate.WebhookDelivery;
import imagine.local.s3.S3Faults;
import imagine.local.telegram.BotMessage;
import imagine.local.telegram.LocalTelegram;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Predictions finished by Replicate's signed callbacks to {@code POST /replicate}, on the local platform: the
 * local model posts them through the API Gateway stand-in to the CallbackFunction from the worker's jar, and
 * the worker's parked message checks on every job after {@link #CHECK}.
 */
class CallbackEndToEndIT {
    private static final Duration LATENCY = Duration.ofSeconds(1);
    /**
     * The deployed check-up comes after two minutes; here after seconds, still long enough that a callback comes
     * first on a busy machine. Every job's message stays out of sight until its check-up, so each test waits for it.
     */
    private static final Duration CHECK = Duration.ofSeconds(12);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORGED_SECRET = "whsec_" + Base64.getEncoder()
            .encodeToString("not the account's key, 32 bytes!".getBytes(StandardCharsets.UTF_8));

    private static LocalBot bot;
    private static LocalTelegram telegram;
    private static LocalReplicate replicate;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        bot = LocalBots.own(LocalBots.quick(LATENCY).withCallbacks(CHECK));
        telegram = bot.telegram();
        replicate = bot.replicate();
        s3 = LocalAws.defaults().s3(bot.platform().s3Endpoint());
        // The callback function's first environment starts with the first callback, seconds on a busy machine: a
        // forged callback starts it here, so that no test's callback races the check-up with a cold start.
        assertThat(post(bot.callbackUrl() + "?job=warm-up", "msg_warm_up", System.currentTimeMillis() / 1000,
                "{}".getBytes(StandardCharsets.UTF_8), FORGED_SECRET)).isEqualTo(401);
    }

    @AfterEach
    void normalWebhooks() {
        replicate.cueWebhooks(WebhookCue.NORMAL);
    }

    @AfterAll
    static void stop() {
        s3.close();
        bot.close();
    }

    @Test
    void aPromptIsDeliveredByItsCallback() throws Exception {
        long user = LocalBots.newUser();
        telegram.userSends(user, "Ann", "en", "a paper boat on a river");

        BotMessage photo = telegram.awaitBotMessage(user, BotMessage::isPhoto, WAIT);
        Instant arrived = Instant.now();
        JobsQueue.awaitDrained(bot, WAIT);

        assertThat(photo.caption()).endsWith("a paper boat on a river");
        Prediction prediction = only(predictionsFor("a paper boat on a river"));
        assertThat(prediction.webhook()).startsWith(bot.callbackUrl() + "?job=");
        assertThat(prediction.webhookEventsFilter()).containsExactly("completed");
        assertThat(arrived).as("finished by the callback, before the check-up").isBefore(checkUpOf(prediction));
        assertDelivered(prediction);
        assertThat(telegram.botMessages(user)).filteredOn(BotMessage::isPhoto).hasSize(1);
    }

    @Test
    void aCallbackPostedTwiceAtOnceSendsOnePhoto() throws Exception {
        replicate.cueWebhooks(WebhookCue.twice());
        long user = LocalBots.newUser();
        telegram.userSends(user, "Ben", "en", "two moons over a desert");

        telegram.awaitBotMessage(user, BotMessage::isPhoto, WAIT);
        Prediction prediction = only(predictionsFor("two moons over a desert"));
        await("both copies answered").atMost(WAIT).until(() -> answersFor(prediction).size() >= 2);
        JobsQueue.awaitDrained(bot, WAIT);

        assertThat(telegram.botMessages(user)).filteredOn(BotMessage::isPhoto).hasSize(1);
        assertThat(answersFor(prediction)).extracting(WebhookDelivery::webhookId).containsOnly(
                answersFor(prediction).get(0).webhookId());
    }

    @Test
    void aCallbackThatComesBeforeTheCreateCallReturnedIsRetriedAndStillMakesOnePhoto() throws Exception {
        replicate.cueWebhooks(WebhookCue.beforeTheCreateCallReturns());
        long user = LocalBots.newUser();
        telegram.userSends(user, "Cleo", "en", "a lantern in the rain");

        telegram.awaitBotMessage(user, BotMessage::isPhoto, WAIT);
        Instant arrived = Instant.now();
        JobsQueue.awaitDrained(bot, WAIT);

        Prediction prediction = only(predictionsFor("a lantern in the rain"));
        assertThat(answersFor(prediction).get(0).status()).as("asked to come again: not recorded yet").isEqualTo(409);
        assertThat(answersFor(prediction)).extracting(WebhookDelivery::status).contains(200);
        assertThat(arrived).as("finished by the retried callback").isBefore(checkUpOf(prediction));
        assertThat(telegram.botMessages(user)).filteredOn(BotMessage::isPhoto).hasSize(1);
    }

    @Test
    void aCallbackThatComesAfterTheCheckUpDeliveredSendsNothingMore() throws Exception {
        replicate.cueWebhooks(WebhookCue.late(CHECK.plus(CHECK)));
        long user = LocalBots.newUser();
        telegram.userSends(user, "Dora", "en", "a snail racing a train");

        telegram.awaitBotMessage(user, BotMessage::isPhoto, WAIT);
        Instant arrived = Instant.now();
        Prediction prediction = only(predictionsFor("a snail racing a train"));
        await("the late callback answered").atMost(WAIT).until(() -> !answersFor(prediction).isEmpty());
        JobsQueue.awaitDrained(bot, WAIT);

        assertThat(arrived).as("the check-up looked and delivered").isAfterOrEqualTo(checkUpOf(prediction));
        assertDelivered(prediction);

        assertThat(answersFor(prediction)).extracting(WebhookDelivery::status).containsExactly(200);
        assertThat(telegram.botMessages(user)).filteredOn(BotMessage::isPhoto).hasSize(1);
        assertThat(predictionsFor("a snail racing a train")).hasSize(1);
    }

    @Test
    void theCallbackAnswersAtOnceAndAWorkerThatCannotStoreTheOutputTriesAgainAndFinishesTheJob() throws Exception {
        long user = LocalBots.newUser();
        bot.platform().s3Faults().failNext(S3Faults.Operation.PUT, "media/" + user + "/", 4);
        telegram.userSends(user, "Gus", "en", "a harbour at low tide");

        telegram.awaitBotMessage(user, BotMessage::isPhoto, WAIT);
        JobsQueue.awaitDrained(bot, WAIT);

        Prediction prediction = only(predictionsFor("a harbour at low tide"));
        assertThat(bot.platform().s3Faults().allHappened()).isTrue();
        assertThat(answersFor(prediction)).extracting(WebhookDelivery::status).as("handed over at once")
                .containsExactly(200);
        assertDelivered(prediction);
        assertThat(telegram.botMessages(user)).filteredOn(BotMessage::isPhoto).hasSize(1);
    }

    @Test
    void forgedStaleAndUnknownCallbacksAreRefusedAndSendNothing() throws Exception {
        long user = LocalBots.newUser();
        telegram.userSends(user, "Eve", "en", "a glass whale");
        Prediction prediction = awaitPrediction("a glass whale");
        String jobUrl = prediction.webhook();
        byte[] body = JSON.writeValueAsBytes(Map.of("id", prediction.id(), "status", "succeeded",
                "output", List.of("https://example.invalid/forged.png")));
        long now = System.currentTimeMillis() / 1000;
        String realSecret = replicate.webhookSigningSecret();

        assertThat(post(jobUrl, "msg_forged", now, body, FORGED_SECRET))
                .as("signed with another key").isEqualTo(401);
        assertThat(post(jobUrl, "msg_stale", now - 600, body, realSecret)).as("ten minutes old").isEqualTo(401);
        assertThat(post(bot.callbackUrl() + "?job=no-such-job", "msg_unknown", now, body, realSecret))
                .as("no such job").isEqualTo(404);
        assertThat(post(jobUrl, "msg_bare", now, "[1,2]".getBytes(StandardCharsets.UTF_8), realSecret))
                .as("not a prediction").isEqualTo(400);

        telegram.awaitBotMessage(user, BotMessage::isPhoto, WAIT);
        JobsQueue.awaitDrained(bot, WAIT);
        assertThat(telegram.botMessages(user)).filteredOn(BotMessage::isPhoto).hasSize(1);
        assertThat(telegram.botMessages(user)).filteredOn(m -> m.text() != null).extracting(BotMessage::text)
                .as("the acknowledgement and nothing else").hasSize(1).allMatch(text -> text.startsWith("Got it"));
    }

    private static int post(String url, String webhookId, long timestamp, byte[] body, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        mac.update((webhookId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        String signature = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .header("webhook-id", webhookId)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** When the job's waiting message looks at the prediction, had no callback woken it before. */
    private static Instant checkUpOf(Prediction prediction) {
        return prediction.createdAt().plus(CHECK);
    }

    private static void assertDelivered(Prediction prediction) throws Exception {
        String jobId = prediction.webhook().substring(prediction.webhook().indexOf("?job=") + 5);
        JsonNode record = JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(bot.platform().bucketName("MediaBucket"))
                .key("jobs/" + jobId + ".json")).asByteArray());
        assertThat(record.get("state").asText()).isEqualTo("DELIVERED");
    }

    private static List<WebhookDelivery> answersFor(Prediction prediction) {
        return replicate.webhookDeliveries().stream().filter(d -> d.predictionId().equals(prediction.id())).toList();
    }

    private static Prediction awaitPrediction(String prompt) {
        return await("a prediction for " + prompt).atMost(WAIT)
                .until(() -> predictionsFor(prompt).stream().findFirst(), Optional::isPresent).orElseThrow();
    }

    private static Prediction only(List<Prediction> predictions) {
        assertThat(predictions).as("one prediction, paid once").hasSize(1);
        return predictions.get(0);
    }

    private static List<Prediction> predictionsFor(String prompt) {
        return replicate.predictions().stream().filter(p -> prompt.equals(p.input().get("prompt"))).toList();
    }
}
