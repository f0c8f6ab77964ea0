package imagine.core;

/**
 * One image (or video) to make: the body of one message on the jobs queue.
 *
 * @param jobId     derived from the update, the prompt's index and the variant, so every redelivery
 *                  of the same work carries the same id
 * @param replyTo   the user's message the result answers
 * @param position  1-based place of this image among all images of the update, for "2/4" captions
 * @param total     how many images the update asked for
 * @param asFile    send the result as a file (full resolution) instead of a photo
 * @param quotaDay  the day (UTC, yyyy-mm-dd) the image was counted under, given back when the job fails
 */
public record Job(
        String jobId,
        long chatId,
        long replyTo,
        long userId,
        String language,
        String prompt,
        String model,
        String aspectRatio,
        int position,
        int total,
        boolean asFile,
        String quotaDay) {

    public static String idFor(long updateId, int promptIndex, int variant) {
        return updateId + "-" + promptIndex + "-" + variant;
    }
}
