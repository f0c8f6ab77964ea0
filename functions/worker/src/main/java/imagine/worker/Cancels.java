package imagine.worker;

import imagine.core.Job;
import imagine.core.S3Documents;
import imagine.core.StorageKeys;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@code /cancel} task: the predictions being made for the user's jobs from earlier updates are stopped on
 * Replicate at once, whether a worker waits for them or their callbacks will come. (Jobs not started yet see the
 * user's cancel mark before they pay; a job whose prediction is recorded after this looked sees the mark then.)
 * Each job then ends the way a canceled prediction ends: its unit back unless the model charged for it.
 */
final class Cancels {
    private final S3Client s3;
    private final String bucket;
    private final S3Documents<Jobs.RunningPrediction> running;
    private final Predictions predictions;

    Cancels(S3Client s3, String bucket, S3Documents<Jobs.RunningPrediction> running, Predictions predictions) {
        this.s3 = s3;
        this.bucket = bucket;
        this.running = running;
        this.predictions = predictions;
    }

    /** Returns how many predictions were asked to stop. */
    int run(Job task) {
        int stopped = 0;
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket)
                .prefix(StorageKeys.runningPrefix(task.userId()))).contents()) {
            Jobs.RunningPrediction prediction = running.get(object.key()).orElse(null);
            if (prediction != null && updateOf(prediction.jobId()) < task.updateId()) {
                predictions.stop(prediction.predictionId());
                stopped++;
            }
        }
        return stopped;
    }

    private static long updateOf(String jobId) {
        return Job.builder().jobId(jobId).build().updateId();
    }
}
