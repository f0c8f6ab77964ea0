package imagine.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Small JSON documents in S3 changed only by compare-and-swap: the first write with If-None-Match,
 * later ones with If-Match on the ETag read, so concurrent changes never overwrite each other.
 */
public final class S3Documents<T> {
    private static final int ATTEMPTS = 30;

    private final S3Client s3;
    private final String bucket;
    private final Class<T> type;

    public S3Documents(S3Client s3, String bucket, Class<T> type) {
        this.s3 = s3;
        this.bucket = bucket;
        this.type = type;
    }

    private record Versioned<T>(T value, String etag) {
    }

    public Optional<T> get(String key) {
        return load(key).map(Versioned::value);
    }

    /**
     * Applies {@code change} to the stored document ({@code initial} when there is none) and writes the
     * result, starting again from a fresh read whenever another writer got there first. A change that
     * returns an equal document writes nothing. Returns the document as this update left it.
     */
    public T update(String key, T initial, UnaryOperator<T> change) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Optional<Versioned<T>> current = load(key);
            T before = current.map(Versioned::value).orElse(initial);
            T after = change.apply(before);
            if (after.equals(before)) {
                return before;
            }
            PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(bucket).key(key)
                    .contentType("application/json");
            if (current.isPresent()) {
                put.ifMatch(current.get().etag());
            } else {
                put.ifNoneMatch("*");
            }
            if (write(key, put.build(), after)) {
                return after;
            }
            pause(attempt);
        }
        throw new IllegalStateException("too many concurrent changes to " + key);
    }

    private boolean write(String key, PutObjectRequest put, T value) {
        try {
            s3.putObject(put, RequestBody.fromBytes(Json.MAPPER.writeValueAsBytes(value)));
            return true;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        } catch (S3Exception e) {
            // 412: someone wrote first; 409: a concurrent conditional write to the key is in progress.
            if (e.statusCode() != 412 && e.statusCode() != 409) {
                throw e;
            }
            // A put the SDK retried after a broken connection is refused when its first try was stored.
            return holds(key, value);
        } catch (SdkClientException e) {
            // No answer: stored, or refused by a server that closed the connection before reading the body.
            return holds(key, value);
        }
    }

    private boolean holds(String key, T value) {
        return load(key).filter(stored -> stored.value().equals(value)).isPresent();
    }

    private Optional<Versioned<T>> load(String key) {
        try {
            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            return Optional.of(new Versioned<>(Json.MAPPER.readValue(object.asByteArray(), type),
                    object.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(key + " is unreadable", e);
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L * Math.min(attempt, 10)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a conditional write", e);
        }
    }
}
