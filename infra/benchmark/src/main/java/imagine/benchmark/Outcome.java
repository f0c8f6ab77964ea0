package imagine.benchmark;

/**
 * What a simulated load came to; times in seconds from the moment every message was sent.
 *
 * @param firstImage              when the first image reached its chat, NaN when none did
 * @param makespan                when the last image reached its chat or its user was told it failed
 * @param acknowledgementsDropped answers to a message ("Got it") over Telegram's per-bot rate, which nobody retries
 */
record Outcome(int images, int delivered, int failed, double firstImage, double makespan,
               int acknowledgementsDropped) {

    /** Whether this outcome is better for the users: more images delivered, then sooner. */
    boolean betterThan(Outcome other) {
        return delivered != other.delivered ? delivered > other.delivered : makespan < other.makespan;
    }
}
