package imagine.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming: Lambda snapshots an environment after its init and starts later environments from
 * that snapshot. Work done just before the snapshot (classes loaded and initialised, code run, clients'
 * first requests) is in every restored environment, so their first event does not pay for it. Without a
 * checkpointing JVM (locally, or Lambda without SnapStart) registering does nothing.
 */
public final class Priming implements Resource {
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
     * Runs every registered hot path, then every after-restore step: what an environment restored from a primed
     * snapshot has done, for a platform without a checkpointing JVM that starts environments ahead (the local one).
     */
    public static void primeAndRestore() {
        REGISTERED.forEach(priming -> priming.hotPath.run());
        REGISTERED.forEach(priming -> priming.afterRestore.run());
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        hotPath.run();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        afterRestore.run();
    }
}
