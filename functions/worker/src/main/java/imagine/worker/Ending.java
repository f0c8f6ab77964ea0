package imagine.worker;

/**
 * How a job ends without a result: why, whether Replicate charged for its prediction, and what the user is told
 * (null: nothing, the user knows already or cannot be reached).
 */
record Ending(Reason reason, boolean charged, String notice) {

    enum Reason {
        /** The model or its input was refused: a safety filter, an input the model does not take. */
        REFUSED,
        /** The model failed, or the job failed until it was given up. */
        FAILED,
        /** The prediction ran past the deadline and was stopped. */
        TIMED_OUT,
        /** The user canceled it with /cancel. */
        CANCELED,
        /** The prediction succeeded but its output was gone before it could be kept. */
        OUTPUT_GONE,
        /** What the model was to work on could not be had (the user's photo, an expired result). */
        INPUT_UNAVAILABLE,
        /** Telegram would not take the result in any form the bot can send. */
        UNDELIVERABLE,
        /** The chat cannot receive anything from the bot any more. */
        CHAT_UNREACHABLE
    }

    /**
     * Whether the user's unit goes back to their day: always when nothing reached them, except when they canceled a
     * prediction Replicate still charged for, which the owner paid for at their request.
     */
    boolean givesUnitBack() {
        return !(reason == Reason.CANCELED && charged);
    }
}
