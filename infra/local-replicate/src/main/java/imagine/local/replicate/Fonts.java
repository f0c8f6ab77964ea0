package imagine.local.replicate;

import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.util.Arrays;

/** A sans-serif font that covers Cyrillic: DejaVu Sans when installed, else the SansSerif logical font. */
final class Fonts {
    private static final String FAMILY = Arrays.asList(
            GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames())
        .contains("DejaVu Sans") ? "DejaVu Sans" : Font.SANS_SERIF;

    private Fonts() {
    }

    static Font sans(int style, int size) {
        return new Font(FAMILY, style, size);
    }
}
