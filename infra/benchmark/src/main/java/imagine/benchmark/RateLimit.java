package imagine.benchmark;

/**
 * A token bucket: {@code perSecond} tokens a second, at most {@code burst} kept. Callers ask at the loop's
 * current time, which never goes back. A caller that waits its turn {@link #reserve reserves} the next token,
 * one that is refused instead (an HTTP 429) {@link #tryTake tries} to take one.
 */
final class RateLimit {
    private final double perSecond;
    private final double burst;
    /** Below zero: tokens already promised to callers waiting their turn. */
    private double tokens;
    private double updated;

    RateLimit(double perSecond, double burst) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("a rate limit needs a positive rate and room for one token");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
    }

    static RateLimit unlimited() {
        return new RateLimit(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** A limit of {@code perSecond} whose bucket holds {@code seconds} of it (at least one token). */
    static RateLimit perSecond(double perSecond, double seconds) {
        return Double.isInfinite(perSecond) ? unlimited() : new RateLimit(perSecond, Math.max(1, perSecond * seconds));
    }

    /** When the caller's token is there: now, or later when the tokens promised before it have come. */
    double reserve(double now) {
        if (Double.isInfinite(perSecond)) {
            return now;
        }
        refill(now);
        tokens -= 1;
        return tokens >= 0 ? now : now - tokens / perSecond;
    }

    boolean tryTake(double now) {
        if (Double.isInfinite(perSecond)) {
            return true;
        }
        refill(now);
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    /** Seconds until a refused caller could take a token, as a 429's Retry-After says: whole seconds, at least 1. */
    double retryAfter(double now) {
        refill(now);
        return Math.max(1, Math.ceil((1 - tokens) / perSecond));
    }

    private void refill(double now) {
        if (now < updated) {
            throw new IllegalArgumentException("asked at " + now + " s after " + updated + " s");
        }
        tokens = Math.min(burst, tokens + (now - updated) * perSecond);
        updated = now;
    }
}
