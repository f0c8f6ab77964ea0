package imagine.local.replicate;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/** Draws a picture for a prompt: a gradient with soft shapes chosen by the spec, the prompt and the model. */
final class PromptPicture {
    private static final int SHAPES = 9;

    private PromptPicture() {
    }

    static BufferedImage paint(PictureSpec spec) {
        return paint(spec, 0);
    }

    /** @param phase 0..1, moves the shapes along their orbits; frames of an animation use increasing phases */
    static BufferedImage paint(PictureSpec spec, double phase) {
        int w = spec.size().width();
        int h = spec.size().height();
        SplittableRandom random = new SplittableRandom(spec.fingerprint());
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            float hue = (float) random.nextDouble();
            g.setPaint(new GradientPaint(0, 0, Color.getHSBColor(hue, 0.55f, 0.95f),
                w, h, Color.getHSBColor(hue + 0.35f + (float) random.nextDouble() * 0.3f, 0.7f, 0.45f)));
            g.fillRect(0, 0, w, h);
            for (int i = 0; i < SHAPES; i++) {
                drawShape(g, random, w, h, phase);
            }
            Caption.text(g, spec.prompt(), w, h);
            Caption.corner(g, spec.model(), w, h);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void drawShape(Graphics2D g, SplittableRandom random, int w, int h, double phase) {
        int size = (int) (Math.min(w, h) * (0.1 + random.nextDouble() * 0.35));
        double angle = 2 * Math.PI * (random.nextDouble() + phase);
        double orbit = Math.min(w, h) * 0.05 * (1 + random.nextInt(3));
        int x = (int) (random.nextDouble() * w + Math.cos(angle) * orbit) - size / 2;
        int y = (int) (random.nextDouble() * h + Math.sin(angle) * orbit) - size / 2;
        g.setColor(Color.getHSBColor((float) random.nextDouble(), 0.6f, 1f));
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.45f));
        if (random.nextBoolean()) {
            g.fillOval(x, y, size, size);
        } else {
            g.fillRoundRect(x, y, size, (int) (size * (0.5 + random.nextDouble())), size / 4, size / 4);
        }
        g.setComposite(AlphaComposite.SrcOver);
    }
}
