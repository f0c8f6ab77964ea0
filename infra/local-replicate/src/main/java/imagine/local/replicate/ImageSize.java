package imagine.local.replicate;

import java.util.Map;
import java.util.Optional;

/** Pixel size of an output, from an aspect ratio "W:H" and a long side. */
record ImageSize(int width, int height) {

    static Optional<double[]> parseRatio(String ratio) {
        String[] parts = ratio.split(":");
        if (parts.length != 2) {
            return Optional.empty();
        }
        try {
            double w = Double.parseDouble(parts[0].trim());
            double h = Double.parseDouble(parts[1].trim());
            return w > 0 && h > 0 && w / h < 100 && h / w < 100 ? Optional.of(new double[] {w, h}) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static ImageSize of(double w, double h, int longSide) {
        return w >= h
            ? new ImageSize(longSide, Math.max(1, (int) Math.round(longSide * h / w)))
            : new ImageSize(Math.max(1, (int) Math.round(longSide * w / h)), longSide);
    }

    /**
     * The size asked for by the input. "custom" (Seedream) takes the ratio of the width and height inputs;
     * "match_input_image" and a missing ratio take the fallback, the input image's shape when there is one.
     */
    static ImageSize forInput(Object ratio, Map<String, Object> input, ImageSize fallback, int longSide) {
        if ("custom".equals(ratio) && input.get("width") instanceof Number w && input.get("height") instanceof Number h
            && w.doubleValue() > 0 && h.doubleValue() > 0) {
            return of(w.doubleValue(), h.doubleValue(), longSide);
        }
        if (ratio instanceof String text) {
            Optional<double[]> parsed = parseRatio(text);
            if (parsed.isPresent()) {
                return of(parsed.get()[0], parsed.get()[1], longSide);
            }
        }
        return of(fallback.width(), fallback.height(), longSide);
    }
}
