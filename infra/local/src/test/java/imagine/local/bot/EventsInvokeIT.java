package imagine.local.bot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import imagine.local.Invoke;
import imagine.local.lambda.InvocationResult;
import imagine.local.telegram.BotMessage;
import imagine.local.telegram.LocalTelegram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The sample events in events/, invoked one by one as {@code sam local invoke Fn -e event.json} would. */
class EventsInvokeIT {
    private static final Path EVENTS = Path.of("../../events");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The users of the sample events. */
    private static final long ALICE = 1001;
    private static final long BORIS = 1002;

    private static LocalBot bot;
    private static LocalTelegram telegram;

    @BeforeAll
    static void start() {
        bot = LocalBots.own(LocalBots.quick(Duration.ofMillis(500)).withoutPolling());
        telegram = bot.telegram();
        // Telegram only lets a bot write to users who have written to it first.
        telegram.userSends(ALICE, "Alice", "en", "/start");
        telegram.userSends(BORIS, "Борис", "ru", "/start");
    }

    @AfterAll
    static void stop() {
        bot.close();
    }

    @Test
    void everyEventFileIsInvokedByOneOfTheseTests() throws IOException {
        List<Path> covered = Stream.of(updatesWithTheRightSecret(), registrations(), Stream.of(
                event("telegram-wrong-secret.json"), event("sqs-job.json"), event("sqs-dead-letter.json"),
                event("sqs-idea-job.json"), event("replicate-callback.json")))
                .flatMap(events -> events).toList();

        assertThat(eventFiles()).containsExactlyInAnyOrderElementsOf(covered);
    }

    @Test
    void aPrivateTextIsAcknowledgedWithASendMessageInTheResponseBody() throws IOException {
        JsonNode response = webhookResponse(event("telegram-private-text.json"));

        assertThat(response.get("statusCode").asInt()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.get("body").asText());
        assertThat(body.get("method").asText()).isEqualTo("sendMessage");
        assertThat(body.get("chat_id").asLong()).isEqualTo(ALICE);
        assertThat(body.get("text").asText()).startsWith("Got it: drawing with");
        assertThat(body.at("/reply_parameters/message_id").asInt()).isEqualTo(11);
    }

    @Test
    void anUpdateWithTheWrongSecretIsRefusedWith401() throws IOException {
        JsonNode response = webhookResponse(event("telegram-wrong-secret.json"));

        assertThat(response.get("statusCode").asInt()).isEqualTo(401);
    }

    @ParameterizedTest
    @MethodSource("updatesWithTheRightSecret")
    void everyUpdateWithTheRightSecretIsAnswered200(Path event) throws IOException {
        assertThat(webhookResponse(event).get("statusCode").asInt()).isEqualTo(200);
    }

    /*
     * The job is done (its photo is delivered), so nothing must come back: a batch item failure would
     * make SQS redeliver the message and end in the dead-letter queue with an apology for a picture the
     * user already has.
     */
    @Test
    void theJobEventDeliversThePhotoAndReportsNoBatchItemFailure() throws IOException {
        InvocationResult result = Invoke.run(bot.platform(), "WorkerFunction", event("sqs-job.json"));

        assertThat(result.failed()).as(result.responseJson()).isFalse();
        assertThat(JSON.readTree(result.payload()).get("batchItemFailures")).isEmpty();
        BotMessage photo = telegram.awaitBotMessage(ALICE, BotMessage::isPhoto, WAIT);
        assertThat(photo.caption()).endsWith("\na red fox in the snow, watercolour");
    }

    /* The planning job asks the text model once and puts one image job per written prompt on the jobs queue. */
    @Test
    void theIdeaJobEventEnqueuesTheImagesOfItsPromptsAndReportsNoBatchItemFailure() throws IOException {
        InvocationResult result = Invoke.run(bot.platform(), "WorkerFunction", event("sqs-idea-job.json"));

        assertThat(result.failed()).as(result.responseJson()).isFalse();
        assertThat(JSON.readTree(result.payload()).get("batchItemFailures")).isEmpty();
        assertThat(bot.replicate().predictions()).filteredOn(p -> p.input().get("prompt").equals("a cosy winter city"))
                .singleElement().satisfies(p -> assertThat(p.model()).isEqualTo("meta/meta-llama-3-8b-instruct"));
        List<JsonNode> images = JobsQueue.receiveAll(bot).stream().map(body -> {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).filter(job -> job.get("job_id").asText().startsWith("500011-idea-")).toList();
        assertThat(images).hasSize(3).allSatisfy(job -> {
            assertThat(job.get("prompt").asText()).startsWith("a cosy winter city, ");
            assertThat(job.get("aspect_ratio").asText()).isEqualTo("16:9");
            assertThat(job.get("task").asText()).isEqualTo("image");
        });
    }

    /** A recorded callback is a replay by the time anyone invokes it: refused, and nobody hears of it. */
    @Test
    void theRecordedReplicateCallbackIsRefusedAsStale() throws IOException {
        int before = telegram.botMessages(ALICE).size();

        InvocationResult result = Invoke.run(bot.platform(), "CallbackFunction", event("replicate-callback.json"));

        assertThat(result.failed()).as(result.responseJson()).isFalse();
        assertThat(JSON.readTree(result.payload()).get("statusCode").asInt()).isEqualTo(401);
        assertThat(telegram.botMessages(ALICE)).hasSize(before);
    }

    /*
     * The dead-letter queue is the end of the line: once the user is told, the message is consumed,
     * so the handler reports no failure rather than keep the apology coming back.
     */
    @Test
    void theDeadLetterEventTellsTheUserAndReportsNoBatchItemFailure() throws IOException {
        InvocationResult result = Invoke.run(bot.platform(), "DeadLetterFunction", event("sqs-dead-letter.json"));

        assertThat(result.failed()).as(result.responseJson()).isFalse();
        assertThat(JSON.readTree(result.payload()).get("batchItemFailures")).isEmpty();
        telegram.awaitBotMessage(BORIS,
                m -> m.text() != null && m.text().contains("a lighthouse at dusk, oil painting"), WAIT);
    }

    /* Each custom resource answers CloudFormation, here the platform's receiver, with success. */
    @ParameterizedTest
    @MethodSource("registrations")
    void aRegistrationEventAnswersCloudFormationWithSuccess(Path event, @TempDir Path dir) throws IOException {
        ObjectNode local = (ObjectNode) JSON.readTree(event.toFile());
        local.put("ResponseURL", bot.platform().cloudFormation().responseUrl().toString());
        if (local.path("ResourceProperties").has("WebhookUrl")) {
            ((ObjectNode) local.get("ResourceProperties")).put("WebhookUrl", bot.webhookUrl().toString());
        }
        Path pointed = Files.writeString(dir.resolve("event.json"), local.toString());

        InvocationResult result = Invoke.run(bot.platform(), "RegistrationFunction", pointed);

        assertThat(result.failed()).as(result.responseJson()).isFalse();
        assertThat(bot.platform().cloudFormation().answers())
                .filteredOn(answer -> answer.requestId().equals(local.get("RequestId").asText()))
                .singleElement().satisfies(answer -> {
                    assertThat(answer.status()).as(answer.reason()).isEqualTo("SUCCESS");
                    assertThat(answer.logicalResourceId()).isEqualTo(local.get("LogicalResourceId").asText());
                });
    }

    static Stream<Path> updatesWithTheRightSecret() throws IOException {
        return eventFiles().stream().filter(file -> file.getFileName().toString().startsWith("telegram-")
                && !file.equals(event("telegram-wrong-secret.json")));
    }

    static Stream<Path> registrations() throws IOException {
        return eventFiles().stream().filter(file -> file.getFileName().toString().startsWith("cloudformation-"));
    }

    private static List<Path> eventFiles() throws IOException {
        try (Stream<Path> files = Files.list(EVENTS)) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static Path event(String name) {
        return EVENTS.resolve(name);
    }

    private static JsonNode webhookResponse(Path event) throws IOException {
        InvocationResult result = Invoke.run(bot.platform(), "WebhookFunction", event);
        assertThat(result.failed()).as(result.responseJson()).isFalse();
        return JSON.readTree(result.payload());
    }
}
