package imagine.core;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds AWS clients the same way in every function: the light url-connection HTTP client, and the
 * SDK's own endpoint variables ({@code AWS_ENDPOINT_URL_SQS}, {@code AWS_ENDPOINT_URL_S3}) read from
 * {@link Environment}, so a function run by the local platform reaches its local stand-ins.
 */
public final class AwsClients {
    private AwsClients() {
    }

    public static <B extends AwsClientBuilder<B, ?>> B configure(B builder, Map<String, String> env, String service) {
        if (builder instanceof SdkSyncClientBuilder<?, ?> sync) {
            sync.httpClient(UrlConnectionHttpClient.create());
        }
        String endpoint = env.get("AWS_ENDPOINT_URL_" + service);
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder;
    }

    /** An S3 client: path-style against a local endpoint, and no 100-continue round trip on puts. */
    public static S3Client s3(Map<String, String> env) {
        String endpoint = env.get("AWS_ENDPOINT_URL_S3");
        return configure(S3Client.builder(), env, "S3")
                .forcePathStyle(endpoint != null && !endpoint.isBlank())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new WithoutExpectContinue()))
                .build();
    }
}
