package imagine.local.replicate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A language model's answer: a few sentences chosen by the prompt and seed, as streamed token pieces. */
final class TextOutput {
    private static final List<String> OPENINGS = List.of(
        "Here is a thought about \"%s\".",
        "You asked about \"%s\", so let us look at it closely.",
        "\"%s\" is a good place to start.",
        "Let me describe \"%s\" in a few words.");
    private static final List<String> MIDDLES = List.of(
        "It brings to mind soft light, quiet streets and a sky that changes colour every minute.",
        "Picture it at dawn, when every shape is sharp and the air still smells of rain.",
        "The details matter most: the texture, the shadows and the small things at the edges.",
        "Imagine it painted in bold strokes, with bright colours against a dark background.",
        "There is a calm rhythm to it, like waves that keep arriving at the same shore.");
    private static final List<String> CLOSINGS = List.of(
        "I hope this helps you picture it.",
        "Try adding a style or a mood to make it your own.",
        "That is the short version; ask for more if you like.");

    private TextOutput() {
    }

    static List<String> pieces(PictureSpec spec) {
        SplittableRandom random = new SplittableRandom(spec.fingerprint());
        String topic = spec.prompt().strip();
        String text = String.format(OPENINGS.get(random.nextInt(OPENINGS.size())), topic)
            + " " + MIDDLES.get(random.nextInt(MIDDLES.size()))
            + " " + MIDDLES.get(random.nextInt(MIDDLES.size()))
            + " " + CLOSINGS.get(random.nextInt(CLOSINGS.size()));
        List<String> pieces = new ArrayList<>();
        String[] words = text.split(" ");
        for (int i = 0; i < words.length; i++) {
            pieces.add(i == 0 ? words[i] : " " + words[i]);
        }
        return pieces;
    }
}
