package imagine.benchmark.snapshot;

/** {@code jdk.crac.CheckpointException}'s shape. */
public class CheckpointException extends Exception {
    public CheckpointException(Throwable cause) {
        super(cause);
    }
}
