package imagine.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** What a catalog model makes: its {@code "kind"} in the catalog. */
public enum ModelKind {
    /** Draws a picture from a prompt. */
    IMAGE,
    /** Changes a picture it is given, as the prompt says. */
    EDIT,
    /** Makes a short video from a prompt, or from a picture and a prompt. */
    VIDEO,
    /** Writes text: prompts for {@code /idea}, texts for {@code /write}. */
    TEXT,
    /** Enlarges a picture it is given; it takes no prompt. */
    UPSCALE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ModelKind fromWire(String name) {
        return Arrays.stream(values()).filter(kind -> kind.wireName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown model kind '" + name + "'"));
    }
}
