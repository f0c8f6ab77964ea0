package imagine.worker;

import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Files in S3: generated ones, copied as soon as they exist (Replicate deletes its outputs after an hour), and
 * the users' photos a model works on, which Replicate reads through a link that expires within minutes.
 */
final class MediaStore {
    /** Long enough for Replicate to fetch an input when the prediction starts; nobody keeps it. */
    static final Duration LINK_LIFETIME = Duration.ofMinutes(15);

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;

    MediaStore(S3Client s3, S3Presigner presigner, String bucket) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
    }

    void put(String key, byte[] bytes, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
    }

    byte[] get(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    /** A stored file and its content type. */
    record Stored(byte[] bytes, String contentType) {
    }

    /** The file, or empty when it is gone (expired). */
    Optional<Stored> find(String key) {
        try {
            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            return Optional.of(new Stored(object.asByteArray(), object.response().contentType()));
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

    /** A GET link to the object that works without credentials for {@link #LINK_LIFETIME}. */
    String link(String key) {
        return presigner.presignGetObject(p -> p.signatureDuration(LINK_LIFETIME)
                .getObjectRequest(get -> get.bucket(bucket).key(key))).url().toString();
    }
}
