package imagine.core;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One piece of work: the body of one message on the jobs queue. Most jobs are one image; a planning
 * job ({@code /idea}, {@code /write}) asks the text model first, and an idea's plan becomes image jobs.
 * Built with {@link #builder()}; a message written by an earlier version of the bot reads as the same job.
 *
 * @param jobId       derived from the update, the prompt's index and the variant, so every redelivery
 *                    of the same work carries the same id
 * @param replyTo     the user's message the result answers
 * @param prompt      what to draw; for a planning job, the user's idea or request
 * @param model       the model's catalog key; for a planning job of an idea, the model its images use
 * @param position    1-based place of this image among all images of the update, for "2/4" captions
 * @param total       how many images the update asked for; for an idea, how many prompts to write
 * @param task        what the job does (absent in messages from before tasks existed: an image)
 * @param photoFileId Telegram's file id of the user's photo the model works on, null for a prompt alone
 * @param asFile      send the result as a file (full resolution) instead of a photo
 * @param quotaDay    the day (UTC, yyyy-mm-dd) the job was counted under, given back when it fails
 * @param mediaKey    an earlier result of ours in S3 ({@code media/...}): the image a video model animates, or
 *                    the file a {@link Task#FULL_SIZE} task sends; null otherwise
 * @param albumSize   how many images of this prompt arrive together as one album ({@link #albumId()}); 0 when
 *                    each image is sent as it is ready
 * @param carrier     the queue message that owns the job, when this message continues its work (a wait put
 *                    back on the queue, a callback's wake-up); null in the job's first message, which owns it
 * @param waits       how many times the job was put back on the queue to wait; bounds waits that never end
 * @param seed        the seed the user chose for this image (null: one derived from the job id, above
 *                    {@link #MAX_CHOSEN_SEED}); for a {@link Task#FULL_SIZE} task, the seed its original was made
 *                    with, which the file's name says (null: none known)
 * @param comparison  one image of a {@code /compare} album: captioned with its model, and told apart by it when it
 *                    fails
 * @param askedRatio  the aspect ratio the user asked for when the model does not take it and was given the nearest
 *                    it takes instead ({@link #aspectRatio}); null otherwise
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
        Task task,
        String photoFileId,
        boolean asFile,
        String quotaDay,
        String mediaKey,
        int albumSize,
        String carrier,
        int waits,
        Long seed,
        boolean comparison,
        String askedRatio) {

    /** The largest seed a user may choose; seeds derived from job ids lie above it, so they never meet. */
    public static final long MAX_CHOSEN_SEED = 999_999_999L;

    public Job {
        task = task == null ? Task.IMAGE : task;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** This job, to be carried on by another message on behalf of {@code owner}. */
    public Job carriedFor(String owner) {
        return toBuilder().carrier(owner).build();
    }

    /** The queue message that owns this job, as received in the message {@code messageId}. */
    public String ownerIn(String messageId) {
        return carrier != null ? carrier : messageId;
    }

    /** This job put back on the queue to wait once more. */
    public Job waitedOnceMore() {
        return toBuilder().waits(waits + 1).build();
    }

    public static String idFor(long updateId, int promptIndex, int variant) {
        return updateId + "-" + promptIndex + "-" + variant;
    }

    /** The id of the job a tap on a result's button makes: one per tap, the same on every redelivery of it. */
    public static String tapIdFor(long updateId, String action) {
        return updateId + "-" + action;
    }

    /**
     * The id of the task that sends a result's original ({@link Task#FULL_SIZE}): derived from the result's own job,
     * so every tap on its 🖼 Full size button, and every redelivery of a tap, is one job the worker runs once.
     */
    public static String fullSizeIdFor(String resultJobId) {
        return resultJobId + "-" + ResultButtons.FULL_SIZE;
    }

    /** The album this image belongs to: its prompt's part of the job id, {@code <updateId>-<promptIndex>}. */
    public String albumId() {
        return jobId.substring(0, jobId.lastIndexOf('-'));
    }

    /** The id of an update's planning job or task, different from any image job id of that update. */
    public static String taskIdFor(long updateId, Task task) {
        return updateId + "-" + task.wireName();
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
        return task.isPlanning();
    }

    /** True when the model works on an image: the user's photo or a result of ours. */
    @JsonIgnore
    public boolean hasImageInput() {
        return photoFileId != null || mediaKey != null;
    }

    /** Builds a job field by field; what is not set stays empty (null, 0, false, an image task). */
    public static final class Builder {
        private String jobId;
        private long chatId;
        private long replyTo;
        private long userId;
        private String language;
        private String prompt;
        private String model;
        private String aspectRatio;
        private int position = 1;
        private int total = 1;
        private Task task = Task.IMAGE;
        private String photoFileId;
        private boolean asFile;
        private String quotaDay;
        private String mediaKey;
        private int albumSize;
        private String carrier;
        private int waits;
        private Long seed;
        private boolean comparison;
        private String askedRatio;

        private Builder() {
        }

        private Builder(Job job) {
            jobId = job.jobId;
            chatId = job.chatId;
            replyTo = job.replyTo;
            userId = job.userId;
            language = job.language;
            prompt = job.prompt;
            model = job.model;
            aspectRatio = job.aspectRatio;
            position = job.position;
            total = job.total;
            task = job.task;
            photoFileId = job.photoFileId;
            asFile = job.asFile;
            quotaDay = job.quotaDay;
            mediaKey = job.mediaKey;
            albumSize = job.albumSize;
            carrier = job.carrier;
            waits = job.waits;
            seed = job.seed;
            comparison = job.comparison;
            askedRatio = job.askedRatio;
        }

        public Builder jobId(String value) {
            jobId = value;
            return this;
        }

        /** The chat the job answers in and the user's message it replies to. */
        public Builder replyingTo(long chat, long message) {
            chatId = chat;
            replyTo = message;
            return this;
        }

        /** Whose job it is, and the language they are answered in. */
        public Builder user(long id, String languageCode) {
            userId = id;
            language = languageCode;
            return this;
        }

        public Builder prompt(String value) {
            prompt = value;
            return this;
        }

        public Builder model(String key) {
            model = key;
            return this;
        }

        public Builder aspectRatio(String value) {
            aspectRatio = value;
            return this;
        }

        /** The job's place among the update's images, for "2/4" captions. */
        public Builder position(int place, int of) {
            position = place;
            total = of;
            return this;
        }

        public Builder task(Task value) {
            task = value;
            return this;
        }

        public Builder photoFileId(String value) {
            photoFileId = value;
            return this;
        }

        public Builder asFile(boolean value) {
            asFile = value;
            return this;
        }

        public Builder quotaDay(String value) {
            quotaDay = value;
            return this;
        }

        public Builder mediaKey(String value) {
            mediaKey = value;
            return this;
        }

        public Builder albumSize(int value) {
            albumSize = value;
            return this;
        }

        public Builder carrier(String value) {
            carrier = value;
            return this;
        }

        public Builder waits(int value) {
            waits = value;
            return this;
        }

        public Builder seed(Long value) {
            seed = value;
            return this;
        }

        /** One image of a {@code /compare} album; {@code asked} is the ratio asked for when the model got another. */
        public Builder comparison(boolean value, String asked) {
            comparison = value;
            askedRatio = asked;
            return this;
        }

        public Job build() {
            if (jobId == null) {
                throw new IllegalStateException("a job needs an id");
            }
            return new Job(jobId, chatId, replyTo, userId, language, prompt, model, aspectRatio, position, total, task,
                    photoFileId, asFile, quotaDay, mediaKey, albumSize, carrier, waits, seed, comparison, askedRatio);
        }
    }
}
