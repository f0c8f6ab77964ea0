package imagine.worker;

import java.time.Duration;

/** The job cannot go on now but will later: put its message back for {@code after}. */
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
