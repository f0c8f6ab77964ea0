package imagine.webhook;

import imagine.core.DeliveredResult;
import imagine.core.S3Documents;
import imagine.core.StorageKeys;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;

/** What a result under buttons was made from, as the worker recorded it when it sent the result. */
interface ResultLookup {
    /** For a webhook that has no results to read, such as one that only primes its code paths. */
    ResultLookup NONE = (owner, jobId) -> Optional.empty();

    /** Empty when {@code owner} has no such result, or its record has expired. */
    Optional<DeliveredResult> find(long owner, String jobId);

    /** Under {@code results/}, which the webhook may only read; results kept before they were kept per user too. */
    static ResultLookup s3(S3Client s3, String bucket) {
        S3Documents<DeliveredResult> documents = new S3Documents<>(s3, bucket, DeliveredResult.class);
        return (owner, jobId) -> documents.get(StorageKeys.result(owner, jobId))
                .or(() -> documents.get(StorageKeys.legacyResult(jobId)));
    }
}
