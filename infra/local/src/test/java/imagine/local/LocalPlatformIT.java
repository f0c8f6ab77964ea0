package imagine.local;

import static imagine.local.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import imagine.local.aws.LocalAws;
import imagine.local.lambda.InvocationResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

class LocalPlatformIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static TestProject project;
    private static LocalPlatform platform;
    private static SqsClient sqs;

    @BeforeAll
    static void start() {
        project = TestProject.create();
        platform = LocalPlatform.start(Options.defaults(project.template())
                .withParameters(project.parameters())
                .withApiPort(0));
        sqs = LocalAws.defaults().sqs(platform.sqsEndpoint());
    }

    @AfterAll
    static void stop() {
        sqs.close();
        platform.close();
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(platform.apiUrl() + pathAndQuery));
    }

    @Test
    void buildsPayloadTwoEventsAndMapsTheResponse() throws Exception {
        HttpResponse<byte[]> response = send(request("/echo?b=2&a=1&a=x%20y")
                .header("Content-Type", "application/json")
                .header("X-Telegram-Bot-Api-Secret-Token", "s3cret")
                .header("X-Multi", "one")
                .header("X-Multi", "two")
                .header("Cookie", "c1=v1; c2=v2")
                .POST(HttpRequest.BodyPublishers.ofString("{\"update_id\":1}")));
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("x-echo")).hasValue("yes");
        String body = new String(response.body());
        assertThat(body).contains("version=2.0\n", "routeKey=POST /echo\n", "rawPath=/echo\n",
                "rawQueryString=b=2&a=1&a=x%20y\n", "query={a=1,x y, b=2}\n", "cookies=[c1=v1, c2=v2]\n",
                "method=POST\n", "stage=$default\n", "function=ApiFunction\n", "isBase64Encoded=false\n",
                "body={\"update_id\":1}");
        assertThat(body).contains("x-telegram-bot-api-secret-token=s3cret", "x-multi=one,two",
                "content-type=application/json");
        assertThat(body).doesNotContain("X-Telegram", "cookie=");
    }

    @Test
    void binaryBodiesArriveBase64Encoded() throws Exception {
        byte[] bytes = {(byte) 0x89, 'P', 'N', 'G', 0, 1};
        String body = new String(send(request("/echo")
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))).body());
        assertThat(body).contains("isBase64Encoded=true\n",
                "body=" + Base64.getEncoder().encodeToString(bytes));
    }

    @Test
    void base64ResponsesAreDecoded() throws Exception {
        HttpResponse<byte[]> response = send(request("/echo?binary=1").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).containsExactly(0, 1, 2, 255);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/octet-stream");
    }

    @Test
    void pathParametersErrorsAndUnknownRoutes() throws Exception {
        assertThat(new String(send(request("/items/42").GET()).body())).contains("pathParameters={id=42}",
                "routeKey=GET /items/{id}");

        HttpResponse<byte[]> error = send(request("/boom").POST(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(error.statusCode()).isEqualTo(500);
        assertThat(new String(error.body())).isEqualTo("{\"message\":\"Internal Server Error\"}");

        HttpResponse<byte[]> missing = send(request("/nowhere").GET());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(new String(missing.body())).isEqualTo("{\"message\":\"Not Found\"}");
        assertThat(send(request("/echo").GET()).statusCode()).isEqualTo(404);
    }

    @Test
    void aSlowRequestDoesNotHoldUpOthers() throws Exception {
        CompletableFuture<HttpResponse<byte[]>> slow = HTTP.sendAsync(request("/slow?gate=api").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        for (int i = 0; i < 5; i++) {
            assertThat(send(request("/echo").POST(HttpRequest.BodyPublishers.ofString("quick"))).statusCode())
                    .isEqualTo(201);
        }
        assertThat(slow).isNotDone();
        project.open("api");
        assertThat(slow.get().statusCode()).isEqualTo(201);
    }

    @Test
    void functionsGetTheirResolvedEnvironment() {
        assertThat(platform.functionEnvironment("JobsFunction"))
                .containsEntry("QUEUE_URL", platform.queueUrl("JobsQueue"))
                .containsEntry("BUCKET", platform.bucketName("MediaBucket"))
                .containsEntry("SQS_ENDPOINT_URL", platform.sqsFaults().endpoint().toString())
                .containsEntry("S3_ENDPOINT_URL", platform.s3Endpoint().toString())
                .containsEntry("AWS_LAMBDA_FUNCTION_NAME", "JobsFunction");
        assertThat(platform.bucketName("MediaBucket")).isEqualTo("mediabucket");
    }

    /**
     * On a queue whose visibility timeout outlasts a batch on a busy machine (JobsQueue's is short, for the dead-letter
     * test): a message that comes back came back because it failed.
     */
    @Test
    void partialBatchFailuresRedeliverOnlyTheFailedMessages() {
        String url = platform.queueUrl("BatchesQueue");
        sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
                entry("1", "ok:p1").toBuilder().messageAttributes(Map.of("kind",
                        MessageAttributeValue.builder().dataType("String").stringValue("test").build())).build(),
                entry("2", "fail-once:p2"),
                entry("3", "ok:p3")));
        await("p2 to succeed on its second delivery").atMost(DEADLINE).until(() -> project.count("done p2 2") == 1);
        await("the queue to be empty").atMost(DEADLINE).until(() -> messagesIn(url) == 0);
        assertThat(project.recordLines()).filteredOn(l -> l.contains(" p1 ") || l.contains(" p3 ")).hasSize(2);
        assertThat(project.count("failed p2 1")).isEqualTo(1);
        assertThat(project.recordLines()).contains("done p1 1 aws:sqs " + platform.queueArn("BatchesQueue")
                + " us-east-1 true true [kind]");
    }

    @Test
    void errorsEndInTheDeadLetterQueueAfterMaxReceiveCount() {
        sqs.sendMessage(b -> b.queueUrl(platform.queueUrl("JobsQueue")).messageBody("throw:e1"));
        await("the message in the dead-letter queue").atMost(DEADLINE).until(() -> sqs.receiveMessage(b -> b
                        .queueUrl(platform.queueUrl("JobsDeadLetterQueue")).waitTimeSeconds(1))
                .messages().stream().anyMatch(m -> m.body().equals("throw:e1")));
        // On a busy machine the second delivery may still be running when its visibility timeout moves the message on.
        await("both deliveries recorded").atMost(DEADLINE).until(
                () -> project.recordLines().stream().filter(l -> l.startsWith("threw e1")).toList(),
                lines -> lines.equals(List.of("threw e1 1", "threw e1 2")));
    }

    @Test
    void slowJobsRunConcurrentlyUpToTheLimit() {
        String url = platform.queueUrl("SlowQueue");
        for (String id : List.of("s1", "s2", "s3", "s4")) {
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("gate:" + id + ":slow"));
        }
        await("three jobs in flight together").atMost(DEADLINE).until(() -> project.count("started s") == 3);
        assertThat(platform.function("SlowFunction").coldStarts()).isEqualTo(3);
        assertThat(project.count("started s")).isEqualTo(3);
        project.open("slow");
        await("all four jobs done").atMost(DEADLINE).until(() -> project.count("done s") == 4);
        await("the queue to be empty").atMost(DEADLINE).until(() -> messagesIn(url) == 0);
        assertThat(platform.function("SlowFunction").coldStarts()).isEqualTo(3);
    }

    @Test
    void invokeRunsOneFunctionOnAnEventFile() throws Exception {
        Path event = Files.writeString(project.directory().resolve("event.json"),
                "{\"action\":\"echo\",\"value\":\"from-file\"}");
        InvocationResult result = Invoke.run(platform, "ProbeFunction", event);
        assertThat(result.responseJson()).contains("\"echo\":\"from-file\"");
    }

    private static SendMessageBatchRequestEntry entry(String id, String body) {
        return SendMessageBatchRequestEntry.builder().id(id).messageBody(body).build();
    }

    private static int messagesIn(String url) {
        var attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }
}
