package imagine.benchmark.snapshot;

/**
 * Main class of a child JVM that stands for an environment restored from a SnapStart snapshot: it makes the
 * handler (Lambda's init), runs the hooks Lambda runs around the snapshot, then hands over to Lambda's runtime
 * client, which makes its own handler and asks for the first event. What the hooks loaded and ran is warm by then,
 * as in a restored snapshot; the restore itself (copying the snapshot in) is not part of this.
 */
public final class SnapshotStart {
    private static final String RUNTIME_CLIENT = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    private SnapshotStart() {
    }

    /** @param args the runtime client's: the handler first */
    public static void main(String[] args) throws Throwable {
        String handler = args[0].contains("::") ? args[0].substring(0, args[0].indexOf("::")) : args[0];
        Class.forName(handler).getConstructor().newInstance();
        Core.checkpointRestore();
        // The runtime client is on the child's class path only.
        Class.forName(RUNTIME_CLIENT).getMethod("main", String[].class).invoke(null, (Object) args);
    }
}
