package imagine.worker.replicate;

/**
 * Replicate answered with an HTTP error: its status and what it said, kept apart from network
 * failures (which surface as {@link java.io.IOException}).
 */
public final class ReplicateException extends RuntimeException {
    private final int status;
    private final String detail;
    private final Integer retryAfter;

    public ReplicateException(String operation, int status, String detail, Integer retryAfter) {
        super(operation + ": " + status + " " + detail);
        this.status = status;
        this.detail = detail == null ? "" : detail;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public String detail() {
        return detail;
    }

    /** Seconds Replicate asks us to wait, on 429. */
    public Integer retryAfter() {
        return retryAfter;
    }
}
