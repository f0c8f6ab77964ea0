package imagine.worker;

import java.time.Duration;

/** What becomes of a job message whose attempt could not finish the job. */
sealed interface Verdict {

    /**
     * The job waits: it goes back on the queue as a new message, visible after {@code after}. Waiting (for a
     * callback, a lease, a chat's turn, a rate limit) is not failing, so it does not bring the job nearer the
     * dead-letter queue.
     */
    record Wait(Duration after, String reason) implements Verdict {
    }

    /** The attempt failed: the message comes back after {@code after}; the redrive policy counts it. */
    record Retry(Duration after, String reason) implements Verdict {
    }
}
