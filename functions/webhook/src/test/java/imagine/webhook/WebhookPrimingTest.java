package imagine.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.SqsJobQueue;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The SnapStart priming runs the handler's whole path and the SQS client's, and enqueues nothing. */
class WebhookPrimingTest {
    private final List<String> sqsRequests = new CopyOnWriteArrayList<>();
    private final HttpServer sqs = refusingSqs();

    @AfterEach
    void stop() {
        sqs.stop(0);
    }

    @Test
    void primingSendsOnlyAnEmptyBatchThatSqsRefuses() {
        List<Job> enqueued = new CopyOnWriteArrayList<>();
        WebhookSettings settings = new WebhookSettings("a-secret", "imagine_local_bot", "ideogram", 2, Set.of(), Set.of());
        WebhookHandler handler = new WebhookHandler(settings, Catalog.load(), enqueued::addAll);
        SqsClient client = SqsClient.builder()
                .endpointOverride(java.net.URI.create("http://127.0.0.1:" + sqs.getAddress().getPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();

        handler.prime(new SqsJobQueue(client, "http://127.0.0.1/queue/jobs"));

        assertThat(enqueued).isEmpty();
        assertThat(sqsRequests).singleElement().satisfies(body -> {
            assertThat(body).contains("\"Entries\":[]");
            assertThat(body).doesNotContain("MessageBody");
        });
    }

    private HttpServer refusingSqs() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                sqsRequests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                byte[] error = "{\"__type\":\"com.amazonaws.sqs#EmptyBatchRequest\",\"message\":\"no entries\"}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("content-type", "application/x-amz-json-1.0");
                exchange.sendResponseHeaders(400, error.length);
                exchange.getResponseBody().write(error);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
