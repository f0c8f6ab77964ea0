package imagine.core.usage;

import imagine.core.Model;

/**
 * A number of images, videos and texts: what a message asks for, what was used, or a daily limit (0 = none).
 * A text is one {@code /write}; an {@code /idea} counts the images it asks for, not the text it writes first.
 */
public record Units(int images, int videos, int texts) {
    public static final Units NONE = new Units(0, 0, 0);

    /** Images and videos, no texts. */
    public Units(int images, int videos) {
        this(images, videos, 0);
    }

    /** {@code count} outputs of the model: a video model's are videos, a text model's texts, every other's images. */
    public static Units of(Model model, int count) {
        return switch (model.kind()) {
            case VIDEO -> new Units(0, count, 0);
            case TEXT -> new Units(0, 0, count);
            default -> new Units(count, 0, 0);
        };
    }

    public Units plus(Units other) {
        return new Units(images + other.images, videos + other.videos, texts + other.texts);
    }

    public Units negated() {
        return new Units(-images, -videos, -texts);
    }
}
