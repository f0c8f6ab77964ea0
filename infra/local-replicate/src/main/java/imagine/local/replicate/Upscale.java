package imagine.local.replicate;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** An upscaler's answer: the input picture at twice its width and height. */
final class Upscale {
    static final int FACTOR = 2;

    private Upscale() {
    }

    static BufferedImage twice(BufferedImage source) {
        int w = source.getWidth() * FACTOR;
        int h = source.getHeight() * FACTOR;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(source, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return image;
    }
}
