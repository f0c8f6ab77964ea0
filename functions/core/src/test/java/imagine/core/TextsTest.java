package imagine.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextsTest {

    @Test
    void everyTextExistsInBothLanguages() {
        assertThat(Texts.all().get("ru").stringPropertyNames())
                .containsAll(Texts.all().get("en").stringPropertyNames());
        assertThat(Texts.all().get("en").stringPropertyNames().stream()
                .filter(key -> !key.endsWith(".few")))
                .allSatisfy(key -> assertThat(Texts.all().get("ru").getProperty(key)).isNotBlank());
    }

    @Test
    void russianIsChosenForRussianSpeakersAndEnglishForEveryoneElse() {
        assertThat(Texts.forLanguage("ru").language()).isEqualTo("ru");
        assertThat(Texts.forLanguage("ru-RU").language()).isEqualTo("ru");
        assertThat(Texts.forLanguage("uk").language()).isEqualTo("en");
        assertThat(Texts.forLanguage(null).language()).isEqualTo("en");
    }

    @Test
    void countsUseTheRightPluralForm() {
        Texts ru = Texts.forLanguage("ru");
        assertThat(ru.count("images", 1)).isEqualTo("1 картинка");
        assertThat(ru.count("images", 3)).isEqualTo("3 картинки");
        assertThat(ru.count("images", 5)).isEqualTo("5 картинок");
        assertThat(ru.count("images", 11)).isEqualTo("11 картинок");
        assertThat(ru.count("images", 21)).isEqualTo("21 картинка");
        assertThat(ru.count("images", 24)).isEqualTo("24 картинки");
        Texts en = Texts.forLanguage("en");
        assertThat(en.count("prompts", 1)).isEqualTo("1 prompt");
        assertThat(en.count("prompts", 2)).isEqualTo("2 prompts");
    }

    @Test
    void argumentsFillTheirPlaces() {
        assertThat(Texts.forLanguage("en").get("caption", 2, 4, "Seedream 3")).isEqualTo("2/4 · Seedream 3");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a family emoji of seven UTF-16 units | abcdefgh👩‍👩‍👧‍👦xyz | abcdefgh…",
            "a flag of two symbols             | abcdefgh🇷🇺xyz        | abcdefgh…",
            "a thumb with a skin tone          | abcdefgh👍🏽xyz        | abcdefgh…",
            "a plain surrogate pair            | abcdefg😀xyz         | abcdefg😀…",
            "Cyrillic letters                  | приветствую всех     | приветств…"})
    void aCutTextEndsWithAnEllipsisAndNeverSplitsACharacterOrAnEmoji(String what, String text, String cut) {
        assertThat(Texts.cut(text, 10)).isEqualTo(cut);
        assertThat(Texts.cut(text, 10).length()).isLessThanOrEqualTo(10);
    }

    @Test
    void aTextThatFitsIsNotCut() {
        assertThat(Texts.cut("a fox 🦊", 8)).isEqualTo("a fox 🦊");
    }
}
