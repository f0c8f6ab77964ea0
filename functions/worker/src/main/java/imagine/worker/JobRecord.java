package imagine.worker;

import com.fasterxml.jackson.annotation.JsonIgnore;
import imagine.core.Job;
import java.time.Duration;

/**
 * What is known about a job, kept in S3 ({@link imagine.core.StorageKeys#job}) and changed only by compare-and-swap
 * through {@link Jobs}, so concurrent or repeated deliveries of a job agree on one prediction and one ending. Records
 * written by earlier versions of the bot (without a lease end, a create time or an ending) read as the same job.
 *
 * @param owner           the queue message that carries the job to its end; another message with the same job id
 *                        (a redelivered update, a repeated send) is a duplicate and stops at once
 * @param attempt         which run of the owner holds the lease, null when nobody does
 * @param claimedAt       epoch millis when the holder took the lease
 * @param leaseUntil      epoch millis until which the holder may act alone; 0 in records of earlier versions
 * @param createStartedAt epoch millis of the first create call: from then on a prediction may exist that is not
 *                        recorded (the call's answer was lost), so a later attempt looks for it before creating
 * @param predictionId    recorded before anyone waits for the prediction
 * @param mediaKey        where the output was copied
 * @param ending          why the job ended without a result, once it has
 * @param charged         whether Replicate charged for the prediction of an ended job
 * @param notice          what the user is told about the job's end, or about an idea's skipped prompts
 * @param noticePending   the notice is decided but not yet known to be sent
 * @param noticeSends     how many runs began sending the notice and did not learn that Telegram refused it: each
 *                        may have been told, so only {@link #MAX_NOTICE_SENDS} ever begin
 * @param job             the job itself, so a prediction's callback can hand it on without its message
 */
record JobRecord(State state, String owner, String attempt, long claimedAt, long leaseUntil, Long createStartedAt,
                 String predictionId, String mediaKey, String mediaType, Ending.Reason ending, boolean charged,
                 String notice, boolean noticePending, int noticeSends, Job job) {

    /** How long earlier versions let a claim or a hold stand: the end of the lease in their records. */
    static final Duration LEGACY_HOLD = Duration.ofSeconds(150);

    /**
     * How many sends of a notice may begin without an answer recorded: the second is for a run killed while sending,
     * after which the user heard nothing. A run that was told but could not record it makes the user hear twice, not
     * every time the job comes back.
     */
    static final int MAX_NOTICE_SENDS = 2;

    enum State {
        /** Claimed; the prediction is being created. */
        CLAIMED,
        /** The prediction exists; it is running or its output is being stored. */
        PREDICTING,
        /** The output is in S3; the reply is being sent. */
        STORED,
        /** The user has the result. */
        DELIVERED,
        /** The job ended without a result; its notice may still be on its way. */
        ENDED,
        /**
         * A planning job's image jobs are on the queue, or a user's data deleted; the notice about skipped prompts, or
         * about the deletion, may be on its way.
         */
        FANNED_OUT
    }

    static JobRecord claimed(String owner, String attempt, long now, long leaseUntil, Job job) {
        return new JobRecord(State.CLAIMED, owner, attempt, now, leaseUntil, null, null, null, null, null, false, null,
                false, 0, job);
    }

    /**
     * The job's lease, held by {@code holder} from {@code now} until {@code until}. (What a record of an earlier
     * version says only by its claim, that a prediction may exist since then, is written out.)
     */
    JobRecord leasedTo(String holder, long now, long until) {
        return new JobRecord(state, owner, holder, now, until, createStarted(), predictionId, mediaKey, mediaType,
                ending, charged, notice, noticePending, noticeSends, job);
    }

    /** Nobody holds the job: the next attempt may go on at once. */
    JobRecord released() {
        return new JobRecord(state, owner, null, claimedAt, 0, createStartedAt, predictionId, mediaKey, mediaType,
                ending, charged, notice, noticePending, noticeSends, job);
    }

    JobRecord creatingSince(long now) {
        return new JobRecord(state, owner, attempt, claimedAt, leaseUntil, createStartedAt == null ? now : createStartedAt,
                predictionId, mediaKey, mediaType, ending, charged, notice, noticePending, noticeSends, job);
    }

    JobRecord predicting(String id) {
        return new JobRecord(State.PREDICTING, owner, attempt, claimedAt, leaseUntil, createStartedAt, id, null, null,
                null, false, null, false, 0, job);
    }

    JobRecord stored(String key, String type) {
        return new JobRecord(State.STORED, owner, attempt, claimedAt, leaseUntil, createStartedAt, predictionId, key,
                type, null, false, null, false, 0, job);
    }

    JobRecord delivered() {
        return new JobRecord(State.DELIVERED, owner, attempt, claimedAt, leaseUntil, createStartedAt, predictionId,
                mediaKey, mediaType, null, false, null, false, 0, job);
    }

    JobRecord ended(Ending how) {
        return new JobRecord(State.ENDED, owner, attempt, claimedAt, leaseUntil, createStartedAt, predictionId, mediaKey,
                mediaType, how.reason(), how.charged(), how.notice(), how.notice() != null, 0, job);
    }

    /** @param skipped what to tell about prompts that were not drawn, null when all were */
    JobRecord fannedOut(String skipped) {
        return new JobRecord(State.FANNED_OUT, owner, attempt, claimedAt, leaseUntil, createStartedAt, predictionId,
                null, null, null, false, skipped, skipped != null, 0, job);
    }

    /** A run is about to send the notice. */
    JobRecord sendingNotice() {
        return new JobRecord(state, owner, attempt, claimedAt, leaseUntil, createStartedAt, predictionId, mediaKey,
                mediaType, ending, charged, notice, noticePending, noticeSends + 1, job);
    }

    /** Telegram refused the notice or was not reached, so that send does not count. */
    JobRecord noticeNotSent() {
        return new JobRecord(state, owner, attempt, claimedAt, leaseUntil, createStartedAt, predictionId, mediaKey,
                mediaType, ending, charged, notice, noticePending, noticeSends - 1, job);
    }

    /** Whether another send of the notice may begin. */
    @JsonIgnore
    boolean mayBeginNotice() {
        return noticeSends < MAX_NOTICE_SENDS;
    }

    JobRecord told() {
        return new JobRecord(state, owner, attempt, claimedAt, leaseUntil, createStartedAt, predictionId, mediaKey,
                mediaType, ending, charged, notice, false, noticeSends, job);
    }

    /** The ending this record holds. */
    Ending endedAs() {
        return new Ending(ending == null ? Ending.Reason.FAILED : ending, charged, noticePending ? notice : null);
    }

    /** Until when the holder may act alone; a record of an earlier version held its claims at most this long. */
    @JsonIgnore
    long leaseEnd() {
        if (leaseUntil > 0) {
            return leaseUntil;
        }
        return attempt != null && claimedAt > 0 ? claimedAt + LEGACY_HOLD.toMillis() : 0;
    }

    /**
     * Since when a prediction may exist that the record does not name; null while no create call was made. A
     * claim of an earlier version may have made one since it was taken.
     */
    @JsonIgnore
    Long createStarted() {
        if (createStartedAt != null || predictionId != null) {
            return createStartedAt;
        }
        boolean legacyClaim = state == State.CLAIMED && attempt != null && leaseUntil == 0 && claimedAt > 0;
        return legacyClaim ? claimedAt : null;
    }

    /** Nothing more is owed: the result delivered, or the job ended and its notice sent. */
    @JsonIgnore
    boolean isFinished() {
        return state == State.DELIVERED || state == State.ENDED && !noticePending;
    }
}
