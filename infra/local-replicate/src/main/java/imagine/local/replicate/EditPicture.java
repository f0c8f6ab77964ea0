package imagine.local.replicate;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/** Draws an edit: the input image scaled to cover the output, tinted, with the instruction over it. */
final class EditPicture {
    private EditPicture() {
    }

    static BufferedImage paint(PictureSpec spec, BufferedImage source) {
        int w = spec.size().width();
        int h = spec.size().height();
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            double scale = Math.max((double) w / source.getWidth(), (double) h / source.getHeight());
            int dw = (int) Math.ceil(source.getWidth() * scale);
            int dh = (int) Math.ceil(source.getHeight() * scale);
            g.drawImage(source, (w - dw) / 2, (h - dh) / 2, dw, dh, null);
            SplittableRandom random = new SplittableRandom(spec.fingerprint());
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.35f));
            g.setColor(Color.getHSBColor((float) random.nextDouble(), 0.8f, 0.9f));
            g.fillRect(0, 0, w, h);
            g.setComposite(AlphaComposite.SrcOver);
            Caption.text(g, spec.prompt(), w, h);
            Caption.corner(g, spec.model(), w, h);
        } finally {
            g.dispose();
        }
        return image;
    }
}
