package imagine.local;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition until a deadline; fails with the description when it never holds. */
final class Await {
    private Await() {
    }

    static void until(String description, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + description);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + description);
            }
        }
    }
}
