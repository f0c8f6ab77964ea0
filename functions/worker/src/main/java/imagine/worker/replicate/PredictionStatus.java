package imagine.worker.replicate;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** Where a prediction is in its life, as Replicate says it. */
public enum PredictionStatus {
    STARTING,
    PROCESSING,
    SUCCEEDED,
    FAILED,
    /** Canceled by a request, or by its deadline while it ran. */
    CANCELED,
    /** Its deadline passed before it started: it never ran. */
    ABORTED,
    /** A status this version of the bot does not know; treated as still running. */
    UNKNOWN;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static PredictionStatus fromWire(String name) {
        return Arrays.stream(values()).filter(status -> status.wireName().equals(name)).findFirst().orElse(UNKNOWN);
    }

    /** Nothing more will happen to the prediction. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELED || this == ABORTED;
    }
}
