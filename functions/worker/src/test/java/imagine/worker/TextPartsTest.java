package imagine.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextPartsTest {

    @Test
    void aTextWithinTheLimitIsOneMessage() {
        assertThat(TextParts.split("  Hello there.\n\nBye.  ", 4096)).containsExactly("Hello there.\n\nBye.");
    }

    @Test
    void aLongTextIsCutAtTheLastParagraphBreakThatFits() {
        String first = "First paragraph. It has two sentences.";
        String second = "Second paragraph.";
        String third = "Third one, which does not fit.";
        String text = first + "\n\n" + second + "\n\n" + third;

        assertThat(TextParts.split(text, first.length() + second.length() + 4))
                .containsExactly(first + "\n\n" + second, third);
    }

    @Test
    void aParagraphLongerThanTheLimitIsCutAtTheLastSentenceEnd() {
        String text = "One sentence here. Another one! A question? And a last sentence that runs past the limit";

        List<String> parts = TextParts.split(text, 50);

        assertThat(parts).containsExactly("One sentence here. Another one! A question?",
                "And a last sentence that runs past the limit");
    }

    @Test
    void aSentenceLongerThanTheLimitIsCutBetweenWords() {
        List<String> parts = TextParts.split("alpha beta gamma delta epsilon zeta eta theta", 20);

        assertThat(parts).containsExactly("alpha beta gamma", "delta epsilon zeta", "eta theta");
    }

    @Test
    void aWordLongerThanTheLimitIsCutInsideItButNeverInsideASurrogatePair() {
        String emoji = "\uD83E\uDD8A";
        String text = "a".repeat(9) + emoji + "b".repeat(5);

        List<String> parts = TextParts.split(text, 10);

        assertThat(parts).containsExactly("a".repeat(9), emoji + "b".repeat(5));
        assertThat(String.join("", parts)).isEqualTo(text);
    }

    @Test
    void everyPartOfAHugeTextFitsAndNothingIsLost() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            text.append("Sentence number ").append(i).append(" says something. ");
            if (i % 17 == 0) {
                text.append("\n\n");
            }
        }

        List<String> parts = TextParts.split(text.toString(), TextParts.MESSAGE_LIMIT);

        assertThat(parts).hasSizeGreaterThan(1)
                .allSatisfy(part -> assertThat(part.length()).isBetween(1, TextParts.MESSAGE_LIMIT));
        assertThat(String.join(" ", parts).replaceAll("\\s+", " "))
                .isEqualTo(text.toString().strip().replaceAll("\\s+", " "));
    }
}
