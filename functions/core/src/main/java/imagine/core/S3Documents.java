package imagine.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.UUID;
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
 * Small JSON documents in S3 changed only by compare-and-swap: the first write with If-None-Match, later ones with
 * If-Match on the ETag read, so concurrent writers never overwrite each other. Jobs, albums, quotas, settings,
 * cancel marks and chat pacing all go through it.
 *
 * <p>Every write carries a fresh {@value #WRITE_TOKEN} in the document. When the answer to a write is lost (the
 * connection broke, or the SDK retried a put whose first try was stored and the retry was refused), the writer
 * reads the document back and knows the write as its own by that token, not by equal content, which another
 * writer may have written too.
 */
public final class S3Documents<T> {
    static final String WRITE_TOKEN = "write_token";
    private static final int ATTEMPTS = 30;

    private final S3Client s3;
    private final String bucket;
    private final Class<T> type;

    public S3Documents(S3Client s3, String bucket, Class<T> type) {
        this.s3 = s3;
        this.bucket = bucket;
        this.type = type;
    }

    /** A document and the ETag it was read or written with. */
    public record Versioned<T>(T value, String etag) {
    }

    public Optional<T> get(String key) {
        return read(key).map(Versioned::value);
    }

    public Optional<Versioned<T>> read(String key) {
        return load(key).map(stored -> new Versioned<>(stored.value(), stored.etag()));
    }

    /** Writes the document if there is none yet; empty when another writer created it first. */
    public Optional<Versioned<T>> create(String key, T value) {
        return createOrFind(key, value).mine();
    }

    /**
     * How a write came out: {@code mine} when this writer's document is stored; else {@code found}, what another
     * writer stored, as read to tell the two apart (empty if there was nothing to read).
     */
    public record Written<T>(Optional<Versioned<T>> mine, Optional<Versioned<T>> found) {
    }

    /** Writes the document if there is none yet; else says what another writer created, with no second read. */
    public Written<T> createOrFind(String key, T value) {
        return write(key, value, put -> put.ifNoneMatch("*"));
    }

    /** Replaces the document read as {@code current}; empty when another writer changed it since. */
    public Optional<Versioned<T>> replace(String key, Versioned<T> current, T next) {
        return write(key, next, put -> put.ifMatch(current.etag())).mine();
    }

    /**
     * Applies {@code change} to the stored document ({@code initial} when there is none) and writes the result,
     * starting again from a fresh read whenever another writer got there first. A change that returns a document
     * stored alike writes nothing. Returns the document as this update left it.
     */
    public T update(String key, T initial, UnaryOperator<T> change) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Optional<Versioned<T>> current = read(key);
            T before = current.map(Versioned::value).orElse(initial);
            T after = change.apply(before);
            if (sameWhenStored(after, before)) {
                return before;
            }
            Optional<Versioned<T>> written = current.isPresent() ? replace(key, current.get(), after) : create(key, after);
            if (written.isPresent()) {
                return after;
            }
            pause(attempt);
        }
        throw new IllegalStateException("too many concurrent changes to " + key);
    }

    /**
     * Whether two documents would be stored alike: compared as the JSON written rather than with the records' own
     * equals, whose first call bootstraps some fifty method-handle classes, a cost every cold start that counts a
     * quota would pay.
     */
    private static boolean sameWhenStored(Object a, Object b) {
        return Json.MAPPER.valueToTree(a).equals(Json.MAPPER.valueToTree(b));
    }

    /** Writes the document whatever is stored: for documents only one writer changes. */
    public void put(String key, T value) {
        write(key, value, put -> put);
    }

    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    private record Stored<T>(T value, String etag, String token) {
    }

    private Written<T> write(String key, T value, UnaryOperator<PutObjectRequest.Builder> condition) {
        String token = UUID.randomUUID().toString();
        PutObjectRequest put = condition.apply(PutObjectRequest.builder().bucket(bucket).key(key)
                .contentType("application/json")).build();
        try {
            Optional<Versioned<T>> stored = Optional.of(new Versioned<>(value,
                    s3.putObject(put, RequestBody.fromBytes(withToken(value, token))).eTag()));
            return new Written<>(stored, stored);
        } catch (S3Exception e) {
            // 412: another writer got there first; 409: a concurrent conditional write to the key is in progress.
            if (e.statusCode() != 412 && e.statusCode() != 409) {
                throw e;
            }
            // Unless the refused put was the SDK's retry of our own write, which was stored.
            return readBack(key, token);
        } catch (SdkClientException e) {
            // No answer: stored, or not. Only our token says it was ours.
            Written<T> written = readBack(key, token);
            if (written.mine().isEmpty()) {
                throw e;
            }
            return written;
        }
    }

    /** What a refused or unanswered write finds stored: this writer's document if it carries {@code token}. */
    private Written<T> readBack(String key, String token) {
        Optional<Stored<T>> stored = load(key);
        Optional<Versioned<T>> found = stored.map(document -> new Versioned<>(document.value(), document.etag()));
        boolean mine = stored.map(document -> token.equals(document.token())).orElse(false);
        return new Written<>(mine ? found : Optional.empty(), found);
    }

    private byte[] withToken(T value, String token) {
        ObjectNode document = Json.MAPPER.valueToTree(value);
        document.put(WRITE_TOKEN, token);
        try {
            return Json.MAPPER.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<Stored<T>> load(String key) {
        try {
            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            JsonNode document = Json.MAPPER.readTree(object.asByteArray());
            String token = document.path(WRITE_TOKEN).asText(null);
            return Optional.of(new Stored<>(Json.MAPPER.treeToValue(document, type), object.response().eTag(), token));
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
