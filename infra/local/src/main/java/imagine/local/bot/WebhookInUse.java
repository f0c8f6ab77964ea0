package imagine.local.bot;

/**
 * A real bot's webhook is set: the bot is deployed, and long polling here would remove the webhook and take the bot
 * away from its deployment.
 */
public final class WebhookInUse extends IllegalStateException {
    /** How a webhook that was taken over comes back. */
    static final String REREGISTER = "register it again with sam deploy --parameter-overrides "
            + "RegistrationRevision=<a new value> (or run with TELEGRAM_WEBHOOK_SECRET set to its secret, and it is "
            + "put back at the end)";

    WebhookInUse(String url) {
        super("This bot has a webhook (" + url + "): it is deployed, and running it here would remove the webhook "
                + "and take the bot away from its deployment. Use a second bot from @BotFather for local work, or "
                + "run with --take-over-webhook to take this one over; afterwards " + REREGISTER + ".");
    }
}
