package imagine.webhook;

import java.util.Locale;

/** Why a prompt, or a tap that would cost something, was turned down before anything was paid for. */
enum Refusal {
    /** The user is not on the allow-list. */
    ALLOW_LIST,
    /** The prompt contains a blocked term. */
    BLOCKED_TERM,
    /** The user's daily quota has no room for it. */
    QUOTA,
    /** The day's budget has no room for it. */
    BUDGET;

    /** Its name in metrics and counts. */
    String metricName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
