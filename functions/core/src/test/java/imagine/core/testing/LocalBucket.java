package imagine.core.testing;

import imagine.core.WithoutExpectContinue;
import imagine.local.s3.LocalS3;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The local S3 store in memory with one bucket, and a client for it built like the functions' own. */
public final class LocalBucket implements AutoCloseable {
    public static final String NAME = "media";

    private final LocalS3 store = LocalS3.start(0, null, "test", "test-secret");
    private final S3Client client = S3Client.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .endpointOverride(store.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test-secret")))
            .forcePathStyle(true)
            .overrideConfiguration(o -> o.addExecutionInterceptor(new WithoutExpectContinue()))
            .build();

    public LocalBucket() {
        store.createBucket(NAME);
    }

    public S3Client client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        store.close();
    }
}
