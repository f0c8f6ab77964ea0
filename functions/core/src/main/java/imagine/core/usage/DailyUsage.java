package imagine.core.usage;

import java.util.ArrayList;
import java.util.List;

/**
 * What one user used on one day, and the operations already counted in it (accepted updates, given-back jobs), so a
 * redelivered update or a retried give-back changes nothing. A document from before texts were counted reads as none.
 */
public record DailyUsage(int images, int videos, int texts, List<String> ops) {
    static final DailyUsage NONE = new DailyUsage(0, 0, 0, List.of());
    /** Far more than Telegram's redeliveries or a job's retries can span. */
    static final int OPS_KEPT = 200;

    public DailyUsage {
        ops = ops == null ? List.of() : List.copyOf(ops);
    }

    public Units used() {
        return new Units(images, videos, texts);
    }

    /** Takes back what was counted under {@code op}, as if it never was: a later take under {@code op} counts again. */
    DailyUsage without(String op, Units counted) {
        if (!has(op)) {
            return this;
        }
        List<String> kept = new ArrayList<>(ops);
        kept.remove(op);
        return new DailyUsage(Math.max(0, images - counted.images()), Math.max(0, videos - counted.videos()),
                Math.max(0, texts - counted.texts()), kept);
    }

    boolean has(String op) {
        return ops.contains(op);
    }

    /** Adds (or, negative, takes back) units once under {@code op}; never below zero. */
    DailyUsage with(String op, Units change) {
        if (has(op)) {
            return this;
        }
        List<String> kept = new ArrayList<>(ops);
        kept.add(op);
        if (kept.size() > OPS_KEPT) {
            kept = kept.subList(kept.size() - OPS_KEPT, kept.size());
        }
        return new DailyUsage(Math.max(0, images + change.images()), Math.max(0, videos + change.videos()),
                Math.max(0, texts + change.texts()), kept);
    }
}
