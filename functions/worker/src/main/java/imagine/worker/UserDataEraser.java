package imagine.worker;

import imagine.core.StorageKeys;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Deletes what the bot keeps about one user ({@code /forget}): their settings and cancel mark, and every object under
 * their prefixes (daily usage, results, media, their photos, predictions being made), a page of the listing per
 * DeleteObjects call. Today's usage count stays: the daily limit counts it, and deleting it would give the user a new
 * day's quota; it expires with the other counts. Job records are not kept per user and expire on their own.
 * Deleting is idempotent, so a retry finishes what a failed run left.
 */
final class UserDataEraser {
    /** The most keys one DeleteObjects call takes, and one page of a listing holds. */
    private static final int MAX_BATCH = 1000;

    private final S3Client s3;
    private final String bucket;
    private final Clock clock;
    private final int batch;

    UserDataEraser(S3Client s3, String bucket, Clock clock) {
        this(s3, bucket, clock, MAX_BATCH);
    }

    /** @param batch keys listed and deleted per call, at most {@value #MAX_BATCH} */
    UserDataEraser(S3Client s3, String bucket, Clock clock, int batch) {
        this.s3 = s3;
        this.bucket = bucket;
        this.clock = clock;
        this.batch = Math.min(batch, MAX_BATCH);
    }

    /** Deletes everything of the user's that is stored, but today's usage count; returns how many objects it deleted. */
    int erase(long userId) {
        String today = StorageKeys.usage(userId, LocalDate.now(clock.withZone(ZoneOffset.UTC)).toString());
        List<String> documents = new ArrayList<>();
        for (String key : List.of(StorageKeys.settings(userId), StorageKeys.cancelMark(userId))) {
            if (exists(key)) {
                documents.add(key);
            }
        }
        int deleted = delete(documents);
        for (String prefix : StorageKeys.userPrefixes(userId)) {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)
                    .maxKeys(batch))) {
                deleted += delete(page.contents().stream().map(S3Object::key).filter(key -> !key.equals(today))
                        .toList());
            }
        }
        return deleted;
    }

    private int delete(List<String> keys) {
        if (keys.isEmpty()) {
            return 0;
        }
        List<ObjectIdentifier> objects = keys.stream().map(key -> ObjectIdentifier.builder().key(key).build()).toList();
        DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(objects)));
        if (!response.errors().isEmpty()) {
            // Thrown so the job is tried again; what was deleted stays deleted.
            throw new IllegalStateException("S3 did not delete " + response.errors().size() + " of " + keys.size()
                    + " objects: " + response.errors().get(0).code());
        }
        return response.deleted().size();
    }

    private boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }
}
