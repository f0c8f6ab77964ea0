package imagine.webhook;

/** A Bot API call of the webhook's that Telegram refused or that did not reach it. Never carries the URL or token. */
final class TelegramCallException extends RuntimeException {
    TelegramCallException(String message) {
        super(message);
    }
}
