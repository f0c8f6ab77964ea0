package imagine.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * How Replicate charges for a model's prediction, which decides whether a prediction that made nothing
 * cost anything: the catalog's {@code "billing"}.
 */
public enum Billing {
    /** Charged per output (an image, seconds of video): a prediction that ends without output costs nothing. */
    PER_OUTPUT,
    /** Charged for the run (hardware time, tokens): a prediction that started costs something whatever its end. */
    PER_RUN;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Billing fromWire(String name) {
        return Arrays.stream(values()).filter(billing -> billing.wireName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown billing '" + name + "'"));
    }
}
