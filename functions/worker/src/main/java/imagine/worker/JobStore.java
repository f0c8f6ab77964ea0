package imagine.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import imagine.core.Json;
import imagine.core.StorageKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Job records in S3, written only with If-None-Match (create) and If-Match (replace). */
final class JobStore {
    private final S3Client s3;
    private final String bucket;

    JobStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** A record and the ETag it was read or written with. */
    record Versioned(JobRecord record, String etag) {
    }

    Optional<Versioned> load(String jobId) {
        try {
            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key(jobId)));
            return Optional.of(new Versioned(Json.MAPPER.readValue(object.asByteArray(), JobRecord.class),
                    object.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("job record " + jobId + " is unreadable", e);
        }
    }

    /** Writes the first record of a job; empty when one exists already. */
    Optional<Versioned> create(String jobId, JobRecord record) {
        return write(jobId, record, put -> put.ifNoneMatch("*"));
    }

    /** Replaces the record read as {@code current}; empty when someone changed it since. */
    Optional<Versioned> replace(String jobId, Versioned current, JobRecord next) {
        return write(jobId, next, put -> put.ifMatch(current.etag()));
    }

    private Optional<Versioned> write(String jobId, JobRecord record, UnaryOperator<PutObjectRequest.Builder> condition) {
        PutObjectRequest put = condition.apply(PutObjectRequest.builder().bucket(bucket).key(key(jobId))
                .contentType("application/json")).build();
        try {
            return Optional.of(new Versioned(record, s3.putObject(put, body(record)).eTag()));
        } catch (S3Exception e) {
            // 412: the condition failed; 409: a concurrent conditional write to the same key is in progress.
            if (e.statusCode() != 412 && e.statusCode() != 409) {
                throw e;
            }
            // A put the SDK retried after a broken connection may be refused because its first try was stored.
            return load(jobId).filter(stored -> stored.record().equals(record));
        }
    }

    private static RequestBody body(JobRecord record) {
        try {
            return RequestBody.fromBytes(Json.MAPPER.writeValueAsBytes(record));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String key(String jobId) {
        return StorageKeys.job(jobId);
    }
}
