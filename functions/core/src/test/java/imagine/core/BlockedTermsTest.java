package imagine.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BlockedTermsTest {
    private final BlockedTerms blocked = BlockedTerms.parse(
            " War, blood bath ,,кровь, nude, sex, kiss, pussy, ass, rape, pot, убийство, вор, нож, война ");

    /** Spellings that hide a term from a plain word match, and the term each must be found as. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a nude woman                  | nude
            a n\u200Bude woman            | nude
            a nu\u00ADde woman            | nude
            a nu\u2060d\uFEFFe woman      | nude
            a n\u3164ude woman            | nude
            a nud\u0435 woman             | nude
            a NUD\u0415 woman             | nude
            a \u039DUDE woman             | nude
            a ｎｕｄｅ woman               | nude
            a 𝐧𝐮𝐝𝐞 woman                  | nude
            a ⓝⓤⓓⓔ woman                  | nude
            a n\u0336u\u0336d\u0336e\u0336 woman | nude
            a nüde woman                  | nude
            a n.u.d.e woman               | nude
            a n-u-d-e woman               | nude
            a n_u_d_e woman               | nude
            a n u d e woman               | nude
            a n. u. d. e. woman           | nude
            x n u d e y                   | nude
            nu.de on the beach            | nude
            two nudes                     | nude
            NUDES                         | nude
            \u0455ex on the beach         | sex
            s\u0435x on the beach         | sex
            kisses on the cheek           | kiss
            two pussies                   | pussy
            a war scene                   | war
            wars of the roses             | war
            a blood-bath                  | blood bath
            a bloodbath                   | blood bath
            b.l.o.o.d b.a.t.h             | blood bath
            blood baths at dawn           | blood bath
            Кровь на снегу                | кровь
            следы крови                   | кровь
            залитый кровью                | кровь
            kp\u043E\u0432ь на снегу      | кровь
            к р о в ь                     | кровь
            КРОВИ                         | кровь
            сцена убийства                | убийство
            за убийством                  | убийство
            в\u006Fр в лавке              | вор
            воры в законе                 | вор
            с ножом                       | нож
            после войны                   | война
            ВОЙНОЙ                        | война
            """)
    void anEvasionIsCaughtAsItsTerm(String text, String term) {
        assertThat(blocked.foundIn(text)).hasValue(term);
    }

    /** Words that contain a term, look like one or sound like one, and are not it. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a warm scene", "software", "the warden", "an award", "wares at the market", "sussex",
            "essex", "a sextant", "first class", "a bass guitar", "the assassin", "grapes", "drapes", "a therapist",
            "rapeseed oil", "nudel soup", "a spot of tea", "potato", "a pussycat", "blood in the bath", "a blood test",
            "a b c d", "I am", "рот", "сор", "кровать", "кровля", "ворота", "воробей", "ножницы", "убийственно красиво", "портрет воина", "воин",
            "a sports car", "the Ukrainian sea", "Assam tea", "kissel"})
    void anInnocentWordPasses(String text) {
        assertThat(blocked.foundIn(text)).isEmpty();
    }

    @Test
    void aPhraseMatchesItsWordsInARowWhateverStandsBetweenThem() {
        assertThat(blocked.foundIn("a Blood-Bath, painted")).hasValue("blood bath");
        assertThat(blocked.foundIn("blood\n  bath")).hasValue("blood bath");
    }

    @Test
    void aLongRunOfSingleLettersIsReadQuickly() {
        String letters = "a ".repeat(20_000) + "n u d e";

        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(2), () -> blocked.foundIn(letters))).hasValue("nude");
    }

    @Test
    void nothingIsBlockedWhenNoTermsAreConfigured() {
        assertThat(BlockedTerms.from(Map.of()).foundIn("war")).isEmpty();
        assertThat(BlockedTerms.parse(" , ").foundIn("war")).isEmpty();
        assertThat(BlockedTerms.from(Map.of("BLOCKED_TERMS", "war")).foundIn("a war")).hasValue("war");
    }
}
