package imagine.core;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds AWS clients the same way in every function: the light url-connection HTTP client, and an endpoint from
 * {@code S3_ENDPOINT_URL} / {@code SQS_ENDPOINT_URL} in {@link Environment} when one is set, so a function run by
 * the local platform or {@code sam local invoke} reaches the local stand-ins. Empty, as deployed, leaves the SDK on
 * AWS's endpoints. (The SDK's own {@code AWS_ENDPOINT_URL_*} cannot be declared empty: the SDK takes "" for an
 * endpoint and every call fails.)
 */
public final class AwsClients {
    private AwsClients() {
    }

    /** {@code service} is the prefix of the variable: "S3" or "SQS". */
    public static <B extends AwsClientBuilder<B, ?>> B configure(B builder, Map<String, String> env, String service) {
        if (builder instanceof SdkSyncClientBuilder<?, ?> sync) {
            sync.httpClient(UrlConnectionHttpClient.create());
        }
        String endpoint = endpoint(env, service);
        if (!endpoint.isEmpty()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder;
    }

    /** An S3 client: path-style against a local endpoint, and no 100-continue round trip on puts. */
    public static S3Client s3(Map<String, String> env) {
        return configure(S3Client.builder(), env, "S3")
                .forcePathStyle(!endpoint(env, "S3").isEmpty())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new WithoutExpectContinue()))
                .build();
    }

    private static String endpoint(Map<String, String> env, String service) {
        return env.getOrDefault(service + "_ENDPOINT_URL", "").trim();
    }
}
