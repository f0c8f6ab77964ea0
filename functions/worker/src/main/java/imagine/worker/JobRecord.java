package imagine.worker;

/**
 * What is known about a job, kept in S3 under {@code jobs/<jobId>.json} and changed only by
 * conditional writes, so concurrent or repeated deliveries of a job agree on one prediction.
 *
 * @param claimToken   who claimed it; a write the SDK retried finds its own token and knows it won
 * @param claimedAt    epoch millis of the claim, to tell a worker still creating the prediction
 *                     from one that died doing so
 * @param predictionId recorded before anyone waits for the prediction
 * @param mediaKey     where the output was copied
 */
record JobRecord(State state, String claimToken, long claimedAt, String predictionId, String mediaKey,
                 String mediaType) {

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
        ENDED
    }

    static JobRecord claimed(String token, long now) {
        return new JobRecord(State.CLAIMED, token, now, null, null, null);
    }

    JobRecord predicting(String id) {
        return new JobRecord(State.PREDICTING, claimToken, claimedAt, id, null, null);
    }

    JobRecord stored(String key, String type) {
        return new JobRecord(State.STORED, claimToken, claimedAt, predictionId, key, type);
    }

    JobRecord with(State next) {
        return new JobRecord(next, claimToken, claimedAt, predictionId, mediaKey, mediaType);
    }

    boolean isFinished() {
        return state == State.DELIVERED || state == State.ENDED;
    }
}
