package imagine.local;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** How the tests wait: Awaitility, naming what is awaited; give each wait its deadline with {@code atMost}. */
public final class Waits {
    private Waits() {
    }

    /**
     * Exceptions other threads leave uncaught are not this wait's business: the platform's own threads report
     * failures through what the tests look at.
     */
    public static ConditionFactory await(String what) {
        return Awaitility.await(what).dontCatchUncaughtExceptions();
    }
}
