package imagine.core.usage;

import imagine.core.Model;

/** A number of images and of videos: what a message asks for, what was used, or a daily limit (0 = none). */
public record Units(int images, int videos) {
    public static final Units NONE = new Units(0, 0);

    public static Units of(Model model, int count) {
        return model.isVideo() ? new Units(0, count) : new Units(count, 0);
    }

    public Units plus(Units other) {
        return new Units(images + other.images, videos + other.videos);
    }
}
