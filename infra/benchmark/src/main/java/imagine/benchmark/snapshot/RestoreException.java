package imagine.benchmark.snapshot;

/** {@code jdk.crac.RestoreException}'s shape. */
public class RestoreException extends Exception {
    public RestoreException(Throwable cause) {
        super(cause);
    }
}
