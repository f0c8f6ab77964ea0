package imagine.local;

import imagine.core.Json;
import imagine.core.telegram.TelegramApi;
import imagine.core.usage.DailySpend;
import imagine.local.ops.Health;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClientBuilder;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * {@code infra/imagine status}: how the bot is doing, the local platform's (what its operations page shows) or a
 * deployed stack's, read with the caller's AWS credentials from the stack's outputs: Telegram's getWebhookInfo
 * (with TELEGRAM_BOT_TOKEN), the queues' depths, predictions in flight, and today's counts and spend.
 */
public final class Status {

    private Status() {
    }

    /** @param title what was looked at */
    public record Report(String title, Health health) {
    }

    /**
     * Where the AWS clients go: the SDK's defaults (credentials, region, endpoints, AWS_ENDPOINT_URL_* included), or
     * other endpoints, by service ("cloudformation", "sqs", "s3").
     */
    public record Aws(Region region, Map<String, URI> endpoints) {
        public static Aws of(String region) {
            return new Aws(region == null ? null : Region.of(region), Map.of());
        }

        CloudFormationClient cloudFormation() {
            CloudFormationClientBuilder builder = CloudFormationClient.builder()
                    .httpClient(UrlConnectionHttpClient.create());
            configure(builder, "cloudformation");
            return builder.build();
        }

        SqsClient sqs() {
            SqsClientBuilder builder = SqsClient.builder().httpClient(UrlConnectionHttpClient.create());
            configure(builder, "sqs");
            return builder.build();
        }

        S3Client s3() {
            S3ClientBuilder builder = S3Client.builder().httpClient(UrlConnectionHttpClient.create())
                    .forcePathStyle(endpoints.containsKey("s3"));
            configure(builder, "s3");
            return builder.build();
        }

        private void configure(AwsClientBuilder<?, ?> builder, String service) {
            if (region != null) {
                builder.region(region);
            }
            if (endpoints.containsKey(service)) {
                builder.endpointOverride(endpoints.get(service));
            }
        }
    }

    /** The platform {@code infra/imagine run} runs on this machine, as its operations page reports it. */
    public static Report local(URI chatPage) throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(chatPage.resolve("/ops/data"))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("nothing answers at " + chatPage + " (is infra/imagine run running?)", e);
        }
        var data = Json.MAPPER.readTree(response.body());
        if (!data.has("health")) {
            throw new IOException("the platform could not read its health: " + data.path("health_error").asText());
        }
        return new Report("Local platform at " + chatPage, Json.MAPPER.treeToValue(data.get("health"), Health.class));
    }

    /** A deployed stack, found by name; Telegram is asked only when {@code environment} has TELEGRAM_BOT_TOKEN. */
    public static Report stack(String name, Aws aws, Map<String, String> environment)
            throws IOException, InterruptedException {
        Stack stack;
        try (CloudFormationClient cloudFormation = aws.cloudFormation()) {
            stack = cloudFormation.describeStacks(b -> b.stackName(name)).stacks().get(0);
        }
        Map<String, String> outputs = stack.outputs().stream()
                .collect(Collectors.toMap(Output::outputKey, Output::outputValue));
        Map<String, String> parameters = stack.parameters().stream()
                .collect(Collectors.toMap(parameter -> parameter.parameterKey(),
                        parameter -> parameter.parameterValue() == null ? "" : parameter.parameterValue()));
        try (SqsClient sqs = aws.sqs(); S3Client s3 = aws.s3()) {
            Health health = Health.read(new Health.Sources(URI.create(TelegramApi.url(environment)),
                    environment.get("TELEGRAM_BOT_TOKEN"), sqs, output(outputs, "JobsQueueUrl", name),
                    output(outputs, "JobsDeadLetterQueueUrl", name), s3, output(outputs, "MediaBucketName", name),
                    parameters.containsKey("DailyBudgetUsd") ? DailySpend.budgetFrom(parameters.get("DailyBudgetUsd"))
                            : -1, Clock.systemUTC()));
            return new Report("Stack " + name + " (" + stack.stackStatusAsString() + ")", health);
        }
    }

    private static String output(Map<String, String> outputs, String key, String stack) {
        String value = outputs.get(key);
        if (value == null) {
            throw new IllegalStateException("stack " + stack + " has no output " + key);
        }
        return value;
    }
}
