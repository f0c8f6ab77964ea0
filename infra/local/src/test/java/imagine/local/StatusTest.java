package imagine.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import imagine.core.StorageKeys;
import imagine.core.usage.DailyCounts;
import imagine.local.aws.LocalAws;
import imagine.local.ops.Health;
import imagine.local.s3.LocalS3;
import imagine.local.telegram.LocalTelegram;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code infra/imagine status --stack NAME} against stand-ins of what a deployed stack answers with: CloudFormation's
 * DescribeStacks (the stack's outputs and parameters) and SQS's GetQueueAttributes stubbed as AWS answers them, the
 * bucket on the local S3, and Telegram on the local Telegram.
 */
class StatusTest {
    private static final String JOBS = "https://sqs.us-east-1.amazonaws.com/123456789012/imagine-JobsQueue-X";
    private static final String DEAD_LETTERS = "https://sqs.us-east-1.amazonaws.com/123456789012/imagine-JobsDeadLetterQueue-Y";
    private static final String BUCKET = "imagine-mediabucket-z";

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer cloudFormation;
    private HttpServer sqs;
    private LocalS3 s3;
    private LocalTelegram telegram;

    @BeforeEach
    void start() throws IOException {
        cloudFormation = stub(this::cloudFormation);
        sqs = stub(this::sqs);
        LocalAws local = LocalAws.defaults();
        s3 = LocalS3.start("127.0.0.1", 0, null, local.accessKeyId(), local.secretAccessKey(), true);
        s3.createBucket(BUCKET);
        telegram = LocalTelegram.start(LocalTelegram.Options.builder().build());
    }

    @AfterEach
    void stop() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        cloudFormation.stop(0);
        sqs.stop(0);
        s3.close();
        telegram.close();
    }

    @Test
    void aDeployedStackIsFoundByItsOutputsAndReportsItsQueuesCountsSpendAndWebhook() throws Exception {
        LocalAws local = LocalAws.defaults();
        try (S3Client bucket = local.s3(s3.endpoint())) {
            DailyCounts counts = new DailyCounts(bucket, BUCKET, Clock.systemUTC());
            counts.add("1-0-0", "results.ideogram");
            counts.add("2-0-0", "results.ideogram", "dead_letters");
            counts.add("3", "refusals.quota");
            bucket.putObject(b -> b.bucket(BUCKET).key(StorageKeys.running(7, "4-0-0")), RequestBody.fromString("{}"));
            bucket.putObject(b -> b.bucket(BUCKET).key(StorageKeys.spendShard(counts.today(), 7)),
                    RequestBody.fromString("{\"share\":500000,\"spent\":90000,\"ops\":[]}"));
        }
        System.setProperty("aws.accessKeyId", local.accessKeyId());
        System.setProperty("aws.secretAccessKey", local.secretAccessKey());

        Status.Report report = Status.stack("imagine", new Status.Aws(Region.US_EAST_1, Map.of(
                "cloudformation", endpoint(cloudFormation), "sqs", endpoint(sqs), "s3", s3.endpoint())),
                Map.of("TELEGRAM_BOT_TOKEN", telegram.botToken(),
                "TELEGRAM_API_URL", telegram.baseUrl().toString()));

        Health health = report.health();
        assertThat(report.title()).isEqualTo("Stack imagine (UPDATE_COMPLETE)");
        assertThat(health.jobs().waiting()).isEqualTo(3);
        assertThat(health.jobs().inFlight()).isEqualTo(2);
        assertThat(health.deadLetters().waiting()).isEqualTo(1);
        assertThat(health.predictionsInFlight()).isEqualTo(1);
        assertThat(health.counts()).containsEntry("results.ideogram", 2L).containsEntry("dead_letters", 1L)
                .containsEntry("refusals.quota", 1L);
        assertThat(health.spent().microUsd()).isEqualTo(90_000);
        assertThat(health.spent().budgetMicroUsd()).as("the stack's DailyBudgetUsd").isEqualTo(5_000_000);
        assertThat(health.webhook().known()).isTrue();
        assertThat(health.webhook().url()).as("no webhook set on this Telegram").isEmpty();
        assertThat(health.lines()).contains("Jobs queue: 3 waiting, 2 in progress, 0 delayed",
                "Dead-letter queue: 1 waiting, 0 in progress, 0 delayed", "Spent today: $0.09 of $5.00 (2%)");
        assertThat(requests).contains("DescribeStacks", "AmazonSQS.GetQueueAttributes " + JOBS,
                "AmazonSQS.GetQueueAttributes " + DEAD_LETTERS);
    }

    /** DescribeStacks as CloudFormation answers it (the query protocol, XML). */
    private void cloudFormation(HttpExchange exchange) throws IOException {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(form.contains("Action=DescribeStacks") ? "DescribeStacks" : form);
        reply(exchange, "text/xml", """
                <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
                  <DescribeStacksResult><Stacks><member>
                    <StackName>imagine</StackName>
                    <StackStatus>UPDATE_COMPLETE</StackStatus>
                    <CreationTime>2025-06-01T00:00:00Z</CreationTime>
                    <Parameters>
                      <member><ParameterKey>DailyBudgetUsd</ParameterKey><ParameterValue>5</ParameterValue></member>
                      <member><ParameterKey>TelegramBotToken</ParameterKey><ParameterValue>****</ParameterValue></member>
                    </Parameters>
                    <Outputs>
                      <member><OutputKey>JobsQueueUrl</OutputKey><OutputValue>%s</OutputValue></member>
                      <member><OutputKey>JobsDeadLetterQueueUrl</OutputKey><OutputValue>%s</OutputValue></member>
                      <member><OutputKey>MediaBucketName</OutputKey><OutputValue>%s</OutputValue></member>
                    </Outputs>
                  </member></Stacks></DescribeStacksResult>
                  <ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata>
                </DescribeStacksResponse>""".formatted(JOBS, DEAD_LETTERS, BUCKET));
    }

    /** GetQueueAttributes as SQS answers it (the JSON protocol). */
    private void sqs(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String queue = body.contains(DEAD_LETTERS) ? DEAD_LETTERS : JOBS;
        requests.add(target + " " + queue);
        reply(exchange, "application/x-amz-json-1.0", queue.equals(JOBS)
                ? "{\"Attributes\":{\"ApproximateNumberOfMessages\":\"3\",\"ApproximateNumberOfMessagesNotVisible\":\"2\","
                + "\"ApproximateNumberOfMessagesDelayed\":\"0\"}}"
                : "{\"Attributes\":{\"ApproximateNumberOfMessages\":\"1\",\"ApproximateNumberOfMessagesNotVisible\":\"0\","
                + "\"ApproximateNumberOfMessagesDelayed\":\"0\"}}");
    }

    private static HttpServer stub(HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", handler);
        server.start();
        return server;
    }

    private static URI endpoint(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void reply(HttpExchange exchange, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
