package imagine.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BlockedTermsTest {
    private final BlockedTerms blocked = BlockedTerms.parse(" War, blood bath ,,кровь, ");

    @Test
    void aTermIsFoundAsAWholeWordWhateverItsCase() {
        assertThat(blocked.foundIn("a WAR scene")).hasValue("war");
        assertThat(blocked.foundIn("war.")).hasValue("war");
        assertThat(blocked.foundIn("Кровь на снегу")).hasValue("кровь");
    }

    @Test
    void aTermInsideAnotherWordIsNotAMatch() {
        assertThat(blocked.foundIn("a warm scene")).isEmpty();
        assertThat(blocked.foundIn("software")).isEmpty();
        assertThat(blocked.foundIn("кровью")).isEmpty();
    }

    @Test
    void aPhraseMatchesItsWordsInARowWhateverStandsBetweenThem() {
        assertThat(blocked.foundIn("a Blood-Bath, painted")).hasValue("blood bath");
        assertThat(blocked.foundIn("blood\n  bath")).hasValue("blood bath");
        assertThat(blocked.foundIn("blood in the bath")).isEmpty();
    }

    @Test
    void nothingIsBlockedWhenNoTermsAreConfigured() {
        assertThat(BlockedTerms.from(Map.of()).foundIn("war")).isEmpty();
        assertThat(BlockedTerms.parse(" , ").foundIn("war")).isEmpty();
        assertThat(BlockedTerms.from(Map.of("BLOCKED_TERMS", "war")).foundIn("a war")).hasValue("war");
    }
}
