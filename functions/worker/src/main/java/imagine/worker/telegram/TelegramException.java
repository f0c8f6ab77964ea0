package imagine.worker.telegram;

import java.util.Locale;

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

    /**
     * The chat can receive nothing from the bot: the user blocked it or is deactivated, the bot was removed from the
     * group or may not write there, the chat is gone. (A group that became a supergroup is followed instead.)
     */
    public boolean chatUnreachable() {
        if (errorCode == 403) {
            return true;
        }
        return errorCode == 400 && migrateToChatId == null && says("chat not found", "user is deactivated",
                "peer_id_invalid", "bot was kicked", "not a member", "chat was deleted", "have no write access",
                "chat_write_forbidden", "need administrator rights", "bot was blocked");
    }

    /** The bot may not send this kind of file to the chat (a group's rights), though it may send others or text. */
    public boolean kindForbidden() {
        return errorCode == 400 && says("not enough rights to send", "_forbidden");
    }

    /** Telegram would not take the file as this kind ({@code field}: photo, video, animation), but may as another. */
    public boolean fileRefused(String field) {
        return errorCode == 400 && says(field, "image_process_failed", "wrong file", "failed to get http url content",
                "file is too big", "wrong type of the web page content");
    }

    public boolean captionTooLong() {
        return errorCode == 400 && says("caption is too long", "caption_too_long");
    }

    private boolean says(String... phrases) {
        String said = description.toLowerCase(Locale.ROOT);
        for (String phrase : phrases) {
            if (said.contains(phrase)) {
                return true;
            }
        }
        return false;
    }
}
