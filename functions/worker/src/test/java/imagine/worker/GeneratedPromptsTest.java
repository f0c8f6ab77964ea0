package imagine.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GeneratedPromptsTest {

    @Test
    void oneLineIsOnePrompt() {
        assertThat(GeneratedPrompts.parse("a fox in the snow\na fox at night\n", 4))
                .containsExactly("a fox in the snow", "a fox at night");
    }

    @Test
    void listMarksLabelsAndQuotesAreTakenOff() {
        assertThat(GeneratedPrompts.parse("""
                1. "a fox in the snow"
                2) a fox at night
                - **a fox, watercolour**
                • «лиса в лесу»
                Prompt 5: a fox on a roof
                (6) a fox in a boat
                """, 10)).containsExactly("a fox in the snow", "a fox at night", "a fox, watercolour", "лиса в лесу",
                "a fox on a roof", "a fox in a boat");
    }

    @Test
    void leadInLinesBlankLinesAndRepeatsAreLeftOut() {
        assertThat(GeneratedPrompts.parse("Here are 3 prompts:\n\na fox\n\nA fox\na wolf\n   \na bear", 3))
                .containsExactly("a fox", "a wolf", "a bear");
    }

    @Test
    void noMoreThanWereAskedFor() {
        assertThat(GeneratedPrompts.parse("a\nb\nc\nd\ne", 2)).containsExactly("a", "b");
    }

    @Test
    void windowsLineEndsAndNumbersInsideAPromptAreKept() {
        assertThat(GeneratedPrompts.parse("3 cats on 2 chairs\r\n1984 style poster\r\n", 4))
                .containsExactly("3 cats on 2 chairs", "1984 style poster");
    }

    @Test
    void anAnswerWithNoPromptsGivesNone() {
        assertThat(GeneratedPrompts.parse("  \n\n", 4)).isEmpty();
        assertThat(GeneratedPrompts.parse("", 4)).isEmpty();
    }

    @Test
    void aRunawayLineIsCutToThePromptLimit() {
        assertThat(GeneratedPrompts.parse("x".repeat(5000), 1)).singleElement()
                .satisfies(prompt -> assertThat(prompt).hasSize(GeneratedPrompts.MAX_PROMPT_LENGTH));
    }

    @Test
    void theRefusalMarkerIsRecognisedAnywhereInTheAnswer() {
        assertThat(TextInstructions.isRefusal("[REFUSED]")).isTrue();
        assertThat(TextInstructions.isRefusal("  [refused]\n")).isTrue();
        assertThat(TextInstructions.isRefusal("I am sorry.\n[REFUSED]")).isTrue();
        assertThat(TextInstructions.isRefusal("a refused application form on a desk")).isFalse();
    }
}
