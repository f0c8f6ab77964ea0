package imagine.local.replicate;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.util.ArrayList;
import java.util.List;

/** Writes text readably over a picture: a wrapped caption in a contrasting box, and a corner label. */
final class Caption {
    private static final int MAX_LINES = 8;

    private Caption() {
    }

    static void text(Graphics2D g, String text, int width, int height) {
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        Font font = Fonts.sans(Font.BOLD, Math.max(12, Math.min(width, height) / 18));
        g.setFont(font);
        FontMetrics metrics = g.getFontMetrics();
        int padding = metrics.getHeight() / 2;
        int maxWidth = width - 4 * padding;
        List<String> lines = wrap(text, metrics, maxWidth);
        int boxWidth = lines.stream().mapToInt(metrics::stringWidth).max().orElse(0) + 2 * padding;
        int boxHeight = lines.size() * metrics.getHeight() + 2 * padding;
        int x = (width - boxWidth) / 2;
        int y = height - boxHeight - Math.max(padding, height / 12);
        g.setColor(new Color(0, 0, 0, 170));
        g.fillRoundRect(x, y, boxWidth, boxHeight, padding, padding);
        g.setColor(Color.WHITE);
        int baseline = y + padding + metrics.getAscent();
        for (String line : lines) {
            g.drawString(line, x + padding, baseline);
            baseline += metrics.getHeight();
        }
    }

    static void corner(Graphics2D g, String label, int width, int height) {
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(Fonts.sans(Font.PLAIN, Math.max(10, Math.min(width, height) / 40)));
        FontMetrics metrics = g.getFontMetrics();
        int margin = metrics.getHeight() / 2;
        int x = width - metrics.stringWidth(label) - 2 * margin;
        int y = height - metrics.getHeight() - margin;
        g.setColor(new Color(255, 255, 255, 190));
        g.fillRect(x - margin / 2, y, metrics.stringWidth(label) + margin, metrics.getHeight());
        g.setColor(Color.BLACK);
        g.drawString(label, x, y + metrics.getAscent());
    }

    static List<String> wrap(String text, FontMetrics metrics, int maxWidth) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.trim().split("\\s+")) {
            for (String piece : breakLong(word, metrics, maxWidth)) {
                String candidate = line.length() == 0 ? piece : line + " " + piece;
                if (metrics.stringWidth(candidate) <= maxWidth) {
                    line.setLength(0);
                    line.append(candidate);
                } else {
                    lines.add(line.toString());
                    line.setLength(0);
                    line.append(piece);
                }
            }
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        if (lines.size() > MAX_LINES) {
            List<String> shown = new ArrayList<>(lines.subList(0, MAX_LINES));
            shown.set(MAX_LINES - 1, shown.get(MAX_LINES - 1) + " …");
            return shown;
        }
        return lines;
    }

    private static List<String> breakLong(String word, FontMetrics metrics, int maxWidth) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int end = 1; end <= word.length(); end++) {
            if (metrics.stringWidth(word.substring(start, end)) > maxWidth && end - 1 > start) {
                pieces.add(word.substring(start, end - 1));
                start = end - 1;
            }
        }
        pieces.add(word.substring(start));
        return pieces;
    }
}
