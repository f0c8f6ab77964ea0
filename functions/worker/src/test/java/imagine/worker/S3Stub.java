package imagine.worker;

import imagine.core.testing.LocalBucket;
import software.amazon.awssdk.services.s3.S3Client;

/** The local S3 store in memory, and a client for it built like the worker's own. */
final class S3Stub implements AutoCloseable {
    static final String BUCKET = LocalBucket.NAME;

    private final LocalBucket bucket = new LocalBucket();

    S3Client client() {
        return bucket.client();
    }

    /** The worker's media store over this bucket. */
    MediaStore media() {
        return new MediaStore(bucket.client(), BUCKET);
    }

    @Override
    public void close() {
        bucket.close();
    }
}
