package imagine.worker;

import imagine.core.Job;
import imagine.core.SqsJobQueue;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The jobs queue in SQS. */
final class SqsWorkQueue implements WorkQueue {
    /** SQS hides a message at most 12 hours. */
    private static final Duration MAX_VISIBILITY = Duration.ofHours(12);

    private final SqsClient sqs;
    private final String queueUrl;
    private final SqsJobQueue jobs;

    SqsWorkQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.jobs = new SqsJobQueue(sqs, queueUrl);
    }

    @Override
    public void enqueue(List<Job> batch) {
        jobs.enqueue(batch);
    }

    @Override
    public void putBack(Job job, Duration after) {
        jobs.later(job, after);
    }

    @Override
    public void comeBack(String receiptHandle, Duration after) {
        long seconds = Math.min(MAX_VISIBILITY.toSeconds(), Math.max(0, after.toSeconds()));
        sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle)
                .visibilityTimeout((int) seconds));
    }

    /** Runs each part of sending once, so a snapshot holds it warm. */
    void warmUp() {
        jobs.warmUp();
    }
}
