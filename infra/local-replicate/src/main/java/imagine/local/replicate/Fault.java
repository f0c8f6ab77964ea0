package imagine.local.replicate;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A failure the server can be told to produce, by {@link LocalReplicate#failNext} or by a prompt cue. */
public enum Fault {
    /** The prediction ends failed with a content-filter error; a language model answers with a refusal instead. */
    REFUSE("#refuse"),
    /** Create answers 500. */
    SERVER_ERROR("#error500"),
    /** Create answers 429 with Retry-After. */
    RATE_LIMITED("#ratelimit"),
    /** The prediction stays processing until canceled. */
    HANG("#hang"),
    /** Create answers 422 with an input validation error. */
    INVALID_INPUT(null);

    private final String cue;

    Fault(String cue) {
        this.cue = cue;
    }

    static Optional<Fault> cuedBy(Object prompt) {
        if (!(prompt instanceof String text)) {
            return Optional.empty();
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.cue != null && lower.contains(f.cue)).findFirst();
    }
}
