package imagine.core;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One piece of work: the body of one message on the jobs queue. Most jobs are one image; a planning
 * job ({@code /idea}, {@code /write}) asks the text model first, and an idea's plan becomes image jobs.
 *
 * @param jobId     derived from the update, the prompt's index and the variant, so every redelivery
 *                  of the same work carries the same id
 * @param replyTo   the user's message the result answers
 * @param prompt    what to draw; for a planning job, the user's idea or request
 * @param model     the image model; for a planning job of an idea, the model its images use
 * @param position  1-based place of this image among all images of the update, for "2/4" captions
 * @param total     how many images the update asked for; for an idea, how many prompts to write
 * @param task      null for an image, {@link #IDEA} or {@link #WRITE} for a planning job, {@link #FULL_SIZE}
 *                  for a result's original (absent in messages from before planning jobs, which are all images)
 * @param photoFileId Telegram's file id of the user's photo the model works on, null for a prompt alone
 * @param asFile    send the result as a file (full resolution) instead of a photo
 * @param quotaDay  the day (UTC, yyyy-mm-dd) the image was counted under, given back when the job fails
 * @param mediaKey  an earlier result of ours in S3 ({@code media/...}): the image a video model animates, or
 *                  the file a {@link #FULL_SIZE} task sends; null otherwise
 * @param albumSize how many images of this prompt arrive together as one album ({@link #albumId()}); 0 when
 *                  each image is sent as it is ready
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
        String task,
        String photoFileId,
        boolean asFile,
        String quotaDay,
        String mediaKey,
        int albumSize) {

    /** Write image prompts from an idea, then draw each. */
    public static final String IDEA = "idea";
    /** Write a text and send it as messages. */
    public static final String WRITE = "write";
    /** Send the stored original of a result ({@link #mediaKey}) as a document, replying to the result. */
    public static final String FULL_SIZE = "full";

    public Job(String jobId, long chatId, long replyTo, long userId, String language, String prompt, String model,
               String aspectRatio, int position, int total, String task, String photoFileId, boolean asFile,
               String quotaDay) {
        this(jobId, chatId, replyTo, userId, language, prompt, model, aspectRatio, position, total, task, photoFileId,
                asFile, quotaDay, null, 0);
    }

    public Job(String jobId, long chatId, long replyTo, long userId, String language, String prompt, String model,
               String aspectRatio, int position, int total, String task, String photoFileId, boolean asFile,
               String quotaDay, String mediaKey) {
        this(jobId, chatId, replyTo, userId, language, prompt, model, aspectRatio, position, total, task, photoFileId,
                asFile, quotaDay, mediaKey, 0);
    }

    /** An image job. */
    public Job(String jobId, long chatId, long replyTo, long userId, String language, String prompt, String model,
               String aspectRatio, int position, int total) {
        this(jobId, chatId, replyTo, userId, language, prompt, model, aspectRatio, position, total, null, null, false,
                null);
    }

    public static String idFor(long updateId, int promptIndex, int variant) {
        return updateId + "-" + promptIndex + "-" + variant;
    }

    /** The id of the job a tap on a result's button makes: one per tap, the same on every redelivery of it. */
    public static String tapIdFor(long updateId, String action) {
        return updateId + "-" + action;
    }

    /** The album this image belongs to: its prompt's part of the job id, {@code <updateId>-<promptIndex>}. */
    public String albumId() {
        return jobId.substring(0, jobId.lastIndexOf('-'));
    }

    /** The id of an update's planning job, different from any image job id of an update. */
    public static String planningIdFor(long updateId, String task) {
        return updateId + "-" + task;
    }

    /** The id of the {@code index}-th image a planning job enqueues: the same on every run of that job. */
    public String imageIdFor(int index) {
        return jobId + "-" + index;
    }

    /** The update the job came from: every job id starts with it; -1 for an id that does not. */
    @JsonIgnore
    public long updateId() {
        int dash = jobId.indexOf('-');
        try {
            return Long.parseLong(dash < 0 ? jobId : jobId.substring(0, dash));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** True when the text model runs first: {@code /idea} or {@code /write}. */
    @JsonIgnore
    public boolean isPlanning() {
        return IDEA.equals(task) || WRITE.equals(task);
    }

    /** True when the model works on an image: the user's photo or a result of ours. */
    @JsonIgnore
    public boolean hasImageInput() {
        return photoFileId != null || mediaKey != null;
    }
}
