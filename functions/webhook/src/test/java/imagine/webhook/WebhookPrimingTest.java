package imagine.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import imagine.core.Catalog;
import imagine.core.SqsJobQueue;
import imagine.core.usage.Units;
import imagine.core.usage.UsageLedger;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
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
    private final CountingUserState users = new CountingUserState();

    /** Counts every write; reads answer as for a new user. */
    private static final class CountingUserState implements UserState {
        private int changes;

        @Override
        public UserSettings settings(long userId) {
            return UserSettings.DEFAULTS;
        }

        @Override
        public synchronized UserSettings changeSettings(long userId, UnaryOperator<UserSettings> change) {
            changes++;
            return change.apply(UserSettings.DEFAULTS);
        }

        @Override
        public synchronized UsageLedger.Take take(long userId, String op, Units wanted, Units limits) {
            changes++;
            return new UsageLedger.Take(true, "2026-11-24", wanted);
        }

        @Override
        public Units usedToday(long userId) {
            return Units.NONE;
        }

        @Override
        public synchronized void cancelThrough(long userId, long updateId) {
            changes++;
        }
    }

    @AfterEach
    void stop() {
        sqs.stop(0);
    }

    @Test
    void primingSendsOnlyAnEmptyBatchThatSqsRefusesAndStoresNothing() {
        WebhookSettings settings = new WebhookSettings("a-secret", "imagine_local_bot", "ideogram", 2, Set.of(), Set.of());
        SqsClient client = SqsClient.builder()
                .endpointOverride(java.net.URI.create("http://127.0.0.1:" + sqs.getAddress().getPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();

        WebhookHandler handler = new WebhookHandler(new WebhookComponents(settings, Catalog.load(),
                new SqsJobQueue(client, "http://127.0.0.1/queue/jobs"), users, edit -> { }, ResultLookup.NONE));

        handler.prime();

        assertThat(users.changes).isZero();

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
