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

    /**
     * Replicate refused what was asked (a 4xx other than throttling: an input the model does not take, a model it
     * does not have), so nothing was created and asking again would not help.
     */
    public boolean refusedInput() {
        return status >= 400 && status < 500 && status != 429 && status != 401 && status != 403;
    }

    /** Seconds Replicate asks us to wait, on 429. */
    public Integer retryAfter() {
        return retryAfter;
    }
}
