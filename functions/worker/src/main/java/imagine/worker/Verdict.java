package imagine.worker;

import java.time.Duration;

/** What becomes of a job message whose attempt failed. */
sealed interface Verdict {

    /** Back to the queue, visible again after {@code after}; the redrive policy bounds the tries. */
    record Retry(Duration after, String reason) implements Verdict {
    }

    /** Nothing more can be done (the chat cannot receive messages): the message is deleted. */
    record GiveUp(String reason) implements Verdict {
    }
}
