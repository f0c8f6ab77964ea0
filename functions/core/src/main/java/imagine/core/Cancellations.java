package imagine.core;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code /cancel}: everything a user asked for up to that update is canceled. Update ids only grow, and every
 * job id starts with the id of the update it came from, so one number per user says which jobs are canceled.
 * It is kept as {@code users/<id>.cancel.json}, raised by compare-and-swap so it never goes back; the worker
 * reads it before it pays for a prediction, while it waits for one, and before it sends a result.
 */
public final class Cancellations {
    private final S3Documents<Mark> marks;

    /** @param canceledThrough the highest update id whose jobs are canceled */
    public record Mark(long canceledThrough) {
    }

    public Cancellations(S3Client s3, String bucket) {
        this.marks = new S3Documents<>(s3, bucket, Mark.class);
    }

    public void cancelThrough(long userId, long updateId) {
        marks.update(key(userId), new Mark(0),
                mark -> mark.canceledThrough() >= updateId ? mark : new Mark(updateId));
    }

    public boolean isCanceled(Job job) {
        long updateId = job.updateId();
        return updateId > 0 && marks.get(key(job.userId())).map(mark -> updateId <= mark.canceledThrough())
                .orElse(false);
    }

    private static String key(long userId) {
        return StorageKeys.cancelMark(userId);
    }
}
