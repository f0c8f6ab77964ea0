package imagine.worker.telegram;

/**
 * Telegram answered a Bot API call with {@code ok: false}: what it said, kept apart from network
 * failures (which surface as {@link java.io.IOException}).
 */
public final class TelegramException extends RuntimeException {
    private final String method;
    private final int errorCode;
    private final String description;
    private final Integer retryAfter;
    private final Long migrateToChatId;

    public TelegramException(String method, int errorCode, String description, Integer retryAfter, Long migrateToChatId) {
        super(method + ": " + errorCode + " " + description);
        this.method = method;
        this.errorCode = errorCode;
        this.description = description == null ? "" : description;
        this.retryAfter = retryAfter;
        this.migrateToChatId = migrateToChatId;
    }

    public String method() {
        return method;
    }

    public int errorCode() {
        return errorCode;
    }

    public String description() {
        return description;
    }

    /** Seconds Telegram asks us to wait, on 429. */
    public Integer retryAfter() {
        return retryAfter;
    }

    /** The supergroup a group became, when a send failed because of that. */
    public Long migrateToChatId() {
        return migrateToChatId;
    }
}
