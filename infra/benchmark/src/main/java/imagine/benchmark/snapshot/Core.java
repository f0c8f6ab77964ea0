package imagine.benchmark.snapshot;

import java.util.ArrayList;
import java.util.List;

/** {@code jdk.crac.Core}'s shape: one global context; hooks before the snapshot in reverse order, after it in order. */
public final class Core {
    private static final Global GLOBAL = new Global();

    private Core() {
    }

    public static Context<Resource> getGlobalContext() {
        return GLOBAL;
    }

    public static void checkpointRestore() throws CheckpointException, RestoreException {
        try {
            GLOBAL.beforeCheckpoint(GLOBAL);
        } catch (Exception e) {
            throw new CheckpointException(e);
        }
        try {
            GLOBAL.afterRestore(GLOBAL);
        } catch (Exception e) {
            throw new RestoreException(e);
        }
    }

    private static final class Global extends Context<Resource> {
        private final List<Resource> resources = new ArrayList<>();

        @Override
        public synchronized void register(Resource resource) {
            resources.add(resource);
        }

        @Override
        public synchronized void beforeCheckpoint(Context<? extends Resource> context) throws Exception {
            for (int i = resources.size() - 1; i >= 0; i--) {
                resources.get(i).beforeCheckpoint(this);
            }
        }

        @Override
        public synchronized void afterRestore(Context<? extends Resource> context) throws Exception {
            for (Resource resource : resources) {
                resource.afterRestore(this);
            }
        }
    }
}
