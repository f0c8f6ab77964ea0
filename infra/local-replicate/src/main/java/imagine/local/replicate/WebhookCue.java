package imagine.local.replicate;

import java.time.Duration;

/**
 * How the local model delivers the webhooks of a finished prediction, to rehearse what Replicate may do.
 *
 * @param copies              each attempt is posted this many times at once, under the same webhook id
 * @param delay               the first attempt waits this long after the prediction finished
 * @param beforeCreateReturns the create call answers only after the first attempt was answered
 */
public record WebhookCue(int copies, Duration delay, boolean beforeCreateReturns) {
    public static final WebhookCue NORMAL = new WebhookCue(1, Duration.ZERO, false);

    public WebhookCue {
        if (copies < 1 || delay.isNegative()) {
            throw new IllegalArgumentException("at least one copy, no negative delay");
        }
    }

    public static WebhookCue twice() {
        return new WebhookCue(2, Duration.ZERO, false);
    }

    public static WebhookCue late(Duration delay) {
        return new WebhookCue(1, delay, false);
    }

    public static WebhookCue beforeTheCreateCallReturns() {
        return new WebhookCue(1, Duration.ZERO, true);
    }
}
