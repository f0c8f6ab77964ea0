package imagine.worker;

import java.time.Duration;

/** The job cannot go on now but will by itself later (a lease, a chat's turn, a prediction still running): it waits. */
final class RetryLater extends RuntimeException {
    private final Duration after;

    RetryLater(String reason, Duration after) {
        super(reason, null, false, false);
        this.after = after;
    }

    Duration after() {
        return after;
    }
}
