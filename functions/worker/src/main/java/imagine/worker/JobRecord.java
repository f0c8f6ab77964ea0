package imagine.worker;

import imagine.core.Job;

/**
 * What is known about a job, kept in S3 under {@code jobs/<jobId>.json} and changed only by
 * conditional writes, so concurrent or repeated deliveries of a job agree on one prediction.
 *
 * @param owner        the SQS message that carries the job to its end; other messages with the same
 *                     job id (a redelivered update, a repeated send) are duplicates and stop at once
 * @param attempt      which receive of the owner holds the claim; a write the SDK retried finds its
 *                     own attempt and knows it won
 * @param claimedAt    epoch millis of the claim, to tell an attempt still creating the prediction
 *                     from one that died doing so
 * @param predictionId recorded before anyone waits for the prediction
 * @param mediaKey     where the output was copied
 * @param job          the job itself, so a prediction's callback can finish it without its message
 */
record JobRecord(State state, String owner, String attempt, long claimedAt, String predictionId, String mediaKey,
                 String mediaType, Job job) {

    enum State {
        /** Claimed; the prediction is being created. */
        CLAIMED,
        /** The prediction exists; it is running or its output is being stored. */
        PREDICTING,
        /** The output is in S3; the reply is being sent. */
        STORED,
        /** The user has the result. */
        DELIVERED,
        /** The user was told why there is no result. */
        ENDED,
        /** A planning job's image jobs are on the queue; the user is being told about prompts it skipped. */
        FANNED_OUT
    }

    static JobRecord claimed(String owner, String attempt, long now, Job job) {
        return new JobRecord(State.CLAIMED, owner, attempt, now, null, null, null, job);
    }

    JobRecord predicting(String id) {
        return new JobRecord(State.PREDICTING, owner, attempt, claimedAt, id, null, null, job);
    }

    /** The output is in S3, and {@code holder} is sending it since {@code now}. */
    JobRecord stored(String key, String type, String holder, long now) {
        return new JobRecord(State.STORED, owner, holder, now, predictionId, key, type, job);
    }

    JobRecord with(State next) {
        return new JobRecord(next, owner, attempt, claimedAt, predictionId, mediaKey, mediaType, job);
    }

    /** {@code holder} finishes the job from here, since {@code now}; others wait or leave it. */
    JobRecord held(String holder, long now) {
        return new JobRecord(state, owner, holder, now, predictionId, mediaKey, mediaType, job);
    }

    /** Lets the next attempt (or a callback) go on at once, without waiting out this claim. */
    JobRecord released() {
        return new JobRecord(state, owner, attempt, 0, predictionId, mediaKey, mediaType, job);
    }

    boolean isFinished() {
        return state == State.DELIVERED || state == State.ENDED;
    }
}
