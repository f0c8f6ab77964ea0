package imagine.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Where the functions' S3 and SQS calls go: AWS itself with the values the template deploys, a stand-in when set. */
class AwsClientsTest {
    private static final Pattern DECLARED = Pattern.compile("^\\s+((?:S3|SQS)_ENDPOINT_URL): *(.*)$", Pattern.MULTILINE);
    private static String region;

    /** The request's URI, caught before it leaves. */
    private static final class Sent extends RuntimeException {
        Sent(URI uri) {
            super(uri.toString());
        }
    }

    /** Lambda gives every function AWS_REGION; here the SDK reads it from the system property. */
    @BeforeAll
    static void lambdaRegion() {
        region = System.getProperty("aws.region");
        System.setProperty("aws.region", "us-east-1");
    }

    @AfterAll
    static void restore() {
        if (region == null) {
            System.clearProperty("aws.region");
        } else {
            System.setProperty("aws.region", region);
        }
    }

    /** Credentials, and the request caught before it is sent. */
    private static void caught(AwsRequestOverrideConfiguration.Builder request) {
        ExecutionInterceptor stop = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                throw new Sent(context.httpRequest().getUri());
            }
        };
        SdkPlugin catching = config -> config.overrideConfiguration(config.overrideConfiguration().toBuilder()
                .addExecutionInterceptor(stop).build());
        request.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("key", "secret")))
                .addPlugin(catching);
    }

    /** The variables as template.yaml declares them for every function (Globals). */
    private static Map<String, String> deployed() throws IOException {
        Matcher declared = DECLARED.matcher(Files.readString(Path.of("../../template.yaml")));
        Map<String, String> env = new HashMap<>();
        while (declared.find()) {
            String value = declared.group(2).trim();
            assertThat(value).as("%s is a plain value, not an intrinsic", declared.group(1)).matches("''|\"\"|[^!].*");
            env.put(declared.group(1), value.replaceAll("^(['\"])(.*)\\1$", "$2"));
        }
        assertThat(env).as("declared once each, so sam local invoke can set them").containsOnlyKeys(
                "S3_ENDPOINT_URL", "SQS_ENDPOINT_URL");
        return env;
    }

    private static String s3Request(Map<String, String> env) {
        try (S3Client s3 = AwsClients.s3(env)) {
            s3.getObject(b -> b.bucket("media").key("users/1.json").overrideConfiguration(AwsClientsTest::caught));
            throw new AssertionError("the request was not sent");
        } catch (Sent sent) {
            return sent.getMessage();
        }
    }

    private static String sqsRequest(Map<String, String> env) {
        try (SqsClient sqs = AwsClients.sqs(env)) {
            sqs.sendMessage(b -> b.queueUrl("https://sqs.us-east-1.amazonaws.com/123456789012/Jobs").messageBody("{}")
                    .overrideConfiguration(AwsClientsTest::caught));
            throw new AssertionError("the request was not sent");
        } catch (Sent sent) {
            return sent.getMessage();
        }
    }

    @Test
    void asDeployedTheFunctionsCallAwsItself() throws IOException {
        Map<String, String> env = deployed();

        assertThat(URI.create(s3Request(env)).getHost()).endsWith(".amazonaws.com");
        assertThat(URI.create(sqsRequest(env)).getHost()).isEqualTo("sqs.us-east-1.amazonaws.com");
    }

    @Test
    void pointedAtStandInsTheyCallThem() {
        Map<String, String> env = Map.of("S3_ENDPOINT_URL", "http://127.0.0.1:9000",
                "SQS_ENDPOINT_URL", "http://host.docker.internal:9324");

        assertThat(s3Request(env)).as("by path").startsWith("http://127.0.0.1:9000/media/");
        assertThat(sqsRequest(env)).startsWith("http://host.docker.internal:9324");
    }
}
