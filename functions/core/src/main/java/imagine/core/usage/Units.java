package imagine.core.usage;

import imagine.core.Model;

/**
 * A number of images, videos and texts: what a message asks for, what was used, or a daily limit (0 = none). A text
 * is one {@code /write}; an {@code /idea} counts the images it asks for, not the text it writes first. What a message
 * asks for also says what it costs by the catalog's prices, in millionths of a dollar ({@code microUsd}), which the
 * day's budget counts; a day's use and a limit cost nothing.
 */
public record Units(int images, int videos, int texts, long microUsd) {
    public static final Units NONE = new Units(0, 0, 0, 0);

    public Units(int images, int videos, int texts) {
        this(images, videos, texts, 0);
    }

    /** Images and videos, no texts. */
    public Units(int images, int videos) {
        this(images, videos, 0, 0);
    }

    /**
     * {@code count} outputs of the model at its catalog price: a video model's are videos, a text model's texts, every
     * other's images.
     */
    public static Units of(Model model, int count) {
        long cost = Math.round(model.priceUsd() * 1_000_000) * count;
        return switch (model.kind()) {
            case VIDEO -> new Units(0, count, 0, cost);
            case TEXT -> new Units(0, 0, count, cost);
            default -> new Units(count, 0, 0, cost);
        };
    }

    public Units plus(Units other) {
        return new Units(images + other.images, videos + other.videos, texts + other.texts, microUsd + other.microUsd);
    }

    public Units negated() {
        return new Units(-images, -videos, -texts, -microUsd);
    }
}
