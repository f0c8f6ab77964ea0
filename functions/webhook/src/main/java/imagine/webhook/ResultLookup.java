package imagine.webhook;

import imagine.core.DeliveredResult;
import imagine.core.S3Documents;
import imagine.core.StorageKeys;
import java.io.UncheckedIOException;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** What a result under buttons was made from, as the worker recorded it when it sent the result. */
interface ResultLookup {
    /** For a webhook that has no results to read, such as one that only primes its code paths. */
    ResultLookup NONE = (owner, jobId) -> Optional.empty();

    /** Empty when {@code owner} has no such result, or its record has expired. */
    Optional<DeliveredResult> find(long owner, String jobId);

    /**
     * Under {@code results/}, which the webhook may only read; results kept before they were kept per user too. Any
     * client error of S3 (4xx) means there is no such result: a key S3 refuses, or a missing one it answers 403 for
     * without the right to list the bucket. A server error or no answer is {@link UserStateUnavailable}.
     */
    static ResultLookup s3(S3Client s3, String bucket) {
        S3Documents<DeliveredResult> documents = new S3Documents<>(s3, bucket, DeliveredResult.class);
        return (owner, jobId) -> find(documents, StorageKeys.result(owner, jobId))
                .or(() -> find(documents, StorageKeys.legacyResult(jobId)));
    }

    private static Optional<DeliveredResult> find(S3Documents<DeliveredResult> documents, String key) {
        try {
            return documents.get(key);
        } catch (S3Exception e) {
            if (e.statusCode() >= 400 && e.statusCode() < 500) {
                return Optional.empty();
            }
            throw new UserStateUnavailable("reading a result", e);
        } catch (SdkException | UncheckedIOException e) {
            throw new UserStateUnavailable("reading a result", e);
        }
    }
}
