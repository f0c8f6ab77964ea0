package imagine.core.testing;

import imagine.core.AwsClients;
import imagine.local.s3.LocalS3;
import imagine.local.s3.S3Faults;
import imagine.local.s3.S3Requests;
import java.net.URI;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The local S3 store in memory with one bucket, and a client for it built like the functions' own. */
public final class LocalBucket implements AutoCloseable {
    public static final String NAME = "media";

    private final LocalS3 store = LocalS3.start(0, null, "test", "test-secret");
    private final S3Client client = AwsClients.s3(store.endpoint(), Region.US_EAST_1, "test", "test-secret");

    public LocalBucket() {
        store.createBucket(NAME);
    }

    public S3Client client() {
        return client;
    }

    /** Errors and slowness of the store on cue. */
    public S3Faults faults() {
        return store.faults();
    }

    /** The requests the store served so far, by operation and key area. */
    public S3Requests.Counts requests() {
        return store.requests().counts();
    }

    public URI endpoint() {
        return store.endpoint();
    }

    @Override
    public void close() {
        client.close();
        store.close();
    }
}
