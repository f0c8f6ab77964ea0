package imagine.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming: Lambda snapshots an environment after its init and starts later environments from
 * that snapshot. Work done just before the snapshot (classes loaded and initialised, code run, clients'
 * first requests) is in every restored environment, so their first event does not pay for it. The snapshot
 * holds the JVM's whole memory, compiled code included, so each hot path runs {@value #ROUNDS} times (within
 * {@link #BUDGET}): often enough that the JIT compiles what every event runs, which a restored environment would
 * otherwise interpret through its first hundreds of events. Without a checkpointing JVM (locally, or Lambda
 * without SnapStart) registering does nothing.
 */
public final class Priming implements Resource {
    static final int ROUNDS = 200;
    /** Kept well inside the 10 s Lambda gives an init, of which the rest takes one or two seconds. */
    static final Duration BUDGET = Duration.ofSeconds(5);
    /** The runtime holds resources weakly. */
    private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();

    private final Runnable hotPath;
    private final Runnable afterRestore;

    private Priming(Runnable hotPath, Runnable afterRestore) {
        this.hotPath = hotPath;
        this.afterRestore = afterRestore;
    }

    /**
     * @param hotPath      runs the function's usual path without side effects anyone can see
     * @param afterRestore drops what must not outlive the snapshot, such as pooled connections
     */
    public static void register(Runnable hotPath, Runnable afterRestore) {
        Priming priming = new Priming(hotPath, afterRestore);
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
    }

    /**
     * Runs every registered hot path once, then every after-restore step: what an environment restored from a primed
     * snapshot has done, less the rounds that compile it, for a platform without a checkpointing JVM that starts
     * environments ahead (the local one, where each environment would pay for those rounds itself).
     */
    public static void primeAndRestore() {
        REGISTERED.forEach(priming -> priming.hotPath.run());
        REGISTERED.forEach(priming -> priming.afterRestore.run());
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        rounds(hotPath, System::nanoTime);
    }

    /** Runs {@code hotPath} {@link #ROUNDS} times, or as many as start within {@link #BUDGET}; returns how many. */
    static int rounds(Runnable hotPath, LongSupplier nanoTime) {
        long until = nanoTime.getAsLong() + BUDGET.toNanos();
        int rounds = 0;
        do {
            hotPath.run();
            rounds++;
        } while (rounds < ROUNDS && nanoTime.getAsLong() < until);
        return rounds;
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        afterRestore.run();
    }
}
