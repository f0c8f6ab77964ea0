package imagine.webhook;

import static com.amazonaws.services.lambda.runtime.tests.EventLoader.loadApiGatewayHttpEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import imagine.core.Catalog;
import imagine.core.Json;
import imagine.core.SqsJobQueue;
import imagine.core.testing.TestContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The webhook with the real SQS SDK against an SQS endpoint that fails on cue, wholly (HTTP 500) or for some
 * entries of a SendMessageBatch. Whatever could not be enqueued makes the invocation fail, so Telegram gets
 * a non-2xx and delivers the update again; the redelivery enqueues every job, under the same job ids.
 */
class SqsFailuresTest {
    private static final String QUEUE_URL = "http://127.0.0.1/000000000000/jobs";

    /** Job ids SQS accepted, one entry per acceptance. */
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger wholeFailures = new AtomicInteger();
    private final AtomicInteger entryFailures = new AtomicInteger();
    private HttpServer sqs;
    private SqsClient client;
    private WebhookHandler handler;

    @BeforeEach
    void start() throws IOException {
        sqs = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        sqs.createContext("/", this::answer);
        sqs.start();
        client = SqsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + sqs.getAddress().getPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        WebhookSettings settings = new WebhookSettings("local-webhook-secret", "imagine_local_bot", "ideogram", 2,
                Set.of(), Set.of());
        handler = new WebhookHandler(new WebhookComponents(settings, Catalog.load(), new SqsJobQueue(client, QUEUE_URL),
                new UnlimitedUserState(), edit -> { }, ResultLookup.NONE));
    }

    @AfterEach
    void stop() {
        client.close();
        sqs.stop(0);
    }

    @Test
    void anSqsThatKeepsFailingFailsTheInvocationAndTheRedeliveryEnqueuesEveryJob() {
        wholeFailures.set(100);

        assertThatThrownBy(() -> deliver()).as("a failed invocation: API Gateway answers 500, Telegram retries")
                .isInstanceOf(RuntimeException.class);
        assertThat(accepted).isEmpty();

        wholeFailures.set(0);
        assertThat(deliver().getStatusCode()).isEqualTo(200);
        assertThat(accepted).containsExactlyInAnyOrder(sixJobs());
    }

    @Test
    void entriesRefusedOnceAreSentAgainInTheSameInvocation() {
        entryFailures.set(2);

        APIGatewayV2HTTPResponse response = deliver();

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(accepted).containsExactlyInAnyOrder(sixJobs());
    }

    @Test
    void entriesRefusedOnEveryTryFailTheInvocationAndTheRedeliveryBringsTheRestUnderTheSameIds() {
        entryFailures.set(1000);

        assertThatThrownBy(() -> deliver()).isInstanceOf(RuntimeException.class)
                .hasStackTraceContaining("SQS refused 3 job(s): InternalError");
        List<String> firstTime = List.copyOf(accepted);
        assertThat(firstTime).as("some entries made it the first time").isNotEmpty().hasSizeLessThan(6);

        entryFailures.set(0);
        assertThat(deliver().getStatusCode()).isEqualTo(200);
        assertThat(accepted).as("every job, those sent twice under the same id, which the worker runs once")
                .containsAll(List.of(sixJobs())).hasSize(6 + firstTime.size());
    }

    private APIGatewayV2HTTPResponse deliver() {
        return handler.answer(loadApiGatewayHttpEvent("telegram-several-lines.json"), new TestContext());
    }

    private static String[] sixJobs() {
        return new String[] {"500002-0-0", "500002-0-1", "500002-1-0", "500002-1-1", "500002-2-0", "500002-2-1"};
    }

    /** SQS's JSON protocol: SendMessageBatch only; each prompt's second image refused while entry failures are cued. */
    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request = Json.MAPPER.readTree(exchange.getRequestBody());
            if (wholeFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                send(exchange, 500, "{\"__type\":\"com.amazonaws.sqs#InternalError\",\"message\":\"try again\"}");
                return;
            }
            ObjectNode answer = Json.MAPPER.createObjectNode();
            ArrayNode successful = answer.putArray("Successful");
            ArrayNode failed = answer.putArray("Failed");
            for (JsonNode entry : request.get("Entries")) {
                String id = entry.get("Id").asText();
                String jobId = Json.MAPPER.readValue(entry.get("MessageBody").asText(), imagine.core.Job.class).jobId();
                if (jobId.endsWith("-1") && entryFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    failed.addObject().put("Id", id).put("SenderFault", false).put("Code", "InternalError")
                            .put("Message", "try again");
                } else {
                    accepted.add(jobId);
                    successful.addObject().put("Id", id).put("MessageId", "m-" + id)
                            .put("MD5OfMessageBody", md5(entry.get("MessageBody").asText()));
                }
            }
            send(exchange, 200, answer.toString());
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
