package imagine.worker;

import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Files in S3: generated ones, copied as soon as they exist (Replicate deletes its outputs after an hour), and
 * the pictures a model works on, which it reads through a link that expires within minutes.
 */
final class MediaStore {
    /**
     * How long a link to a file works: long enough for a model to fetch its input or a user to open a file from
     * the chat, too short to be passed around.
     */
    static final Duration LINK_LIFETIME = Duration.ofMinutes(15);

    private final S3Client s3;
    private final String bucket;
    private S3Presigner presigner;

    MediaStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** A stored file: where it is, its bytes and its content type. */
    record Stored(String key, byte[] bytes, String contentType) {
    }

    void put(String key, byte[] bytes, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
    }

    /** The file, or empty when it is gone (expired). */
    Optional<Stored> find(String key) {
        try {
            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            return Optional.of(new Stored(key, object.asByteArray(), object.response().contentType()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    /** Copies a stored file within the bucket; false when the source is gone. */
    boolean copy(String from, String to) {
        try {
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket).destinationKey(to));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    /** A GET link to the file that works for {@link #LINK_LIFETIME} without any other credentials. */
    String link(String key) {
        return presigner().presignGetObject(p -> p.signatureDuration(LINK_LIFETIME)
                .getObjectRequest(get -> get.bucket(bucket).key(key))).url().toString();
    }

    /** Built on first use: most invocations never need a link, and a cold start should not pay for it. */
    private synchronized S3Presigner presigner() {
        if (presigner == null) {
            S3ServiceClientConfiguration config = s3.serviceClientConfiguration();
            S3Presigner.Builder builder = S3Presigner.builder().region(config.region())
                    .credentialsProvider(config.credentialsProvider());
            // As the client: an endpoint override is a local stand-in, reached by path, not by bucket host name.
            config.endpointOverride().ifPresent(endpoint -> builder.endpointOverride(endpoint)
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()));
            presigner = builder.build();
        }
        return presigner;
    }
}
