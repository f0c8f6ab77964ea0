package imagine.local.replicate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A language model's answer, as streamed token pieces, chosen by the prompt and seed. It follows the two
 * kinds of instructions the bot gives in {@code system_prompt}: "exactly N different image prompts, one per
 * line" gets N variations of the prompt, one a line; anything else gets a few sentences about it. It writes
 * in the prompt's language (Russian when the prompt has Cyrillic letters), refuses on {@code #refuse}
 * with the marker the instructions name ("answer only with X"), and {@code #long} makes the text long.
 */
final class TextOutput {
    static final String LONG_CUE = "#long";
    /** Paragraphs of a long answer: well over Telegram's 4096 characters a message. */
    private static final int LONG_PARAGRAPHS = 24;
    private static final Pattern PROMPT_COUNT = Pattern.compile("exactly (\\d+) different image prompts",
        Pattern.CASE_INSENSITIVE);
    private static final Pattern REFUSAL_MARKER = Pattern.compile("answer only with (\\S+)", Pattern.CASE_INSENSITIVE);

    private record Language(List<String> openings, List<String> middles, List<String> closings, List<String> styles,
                            String refusal) {
    }

    private static final Language ENGLISH = new Language(
        List.of(
            "Here is a thought about \"%s\".",
            "You asked about \"%s\", so let us look at it closely.",
            "\"%s\" is a good place to start.",
            "Let me describe \"%s\" in a few words."),
        List.of(
            "It brings to mind soft light, quiet streets and a sky that changes colour every minute.",
            "Picture it at dawn, when every shape is sharp and the air still smells of rain.",
            "The details matter most: the texture, the shadows and the small things at the edges.",
            "Imagine it painted in bold strokes, with bright colours against a dark background.",
            "There is a calm rhythm to it, like waves that keep arriving at the same shore."),
        List.of(
            "I hope this helps you picture it.",
            "Try adding a style or a mood to make it your own.",
            "That is the short version; ask for more if you like."),
        List.of("watercolour", "at golden hour", "as a vintage travel poster", "pencil sketch",
            "under neon lights at night", "in soft morning fog", "as a children's book illustration",
            "in bold pop-art colours"),
        "Sorry, I can't help with that.");

    private static final Language RUSSIAN = new Language(
        List.of(
            "Вот мысль о «%s».",
            "Вы спросили про «%s», давайте присмотримся.",
            "«%s» — хорошее начало.",
            "Опишу «%s» в нескольких словах."),
        List.of(
            "Это напоминает мягкий свет, тихие улицы и небо, которое меняет цвет каждую минуту.",
            "Представьте это на рассвете, когда все очертания резкие, а воздух ещё пахнет дождём.",
            "Важнее всего детали: фактура, тени и мелочи по краям.",
            "Вообразите это крупными мазками, яркими красками на тёмном фоне.",
            "В этом есть спокойный ритм, как у волн, что набегают на один и тот же берег."),
        List.of(
            "Надеюсь, это поможет это представить.",
            "Добавьте стиль или настроение, чтобы сделать это своим.",
            "Это короткая версия; спросите, если хотите подробнее."),
        List.of("акварель", "в золотой час", "как винтажный туристический плакат", "карандашный набросок",
            "в неоновом свете ночью", "в мягком утреннем тумане", "как иллюстрация к детской книжке",
            "в ярких красках поп-арта"),
        "Извините, с этим я не помогу.");

    private TextOutput() {
    }

    /**
     * @param input  the prediction's input: {@code prompt} and, when given, {@code system_prompt}
     * @param refuse answer with a refusal instead
     */
    static List<String> pieces(Map<String, Object> input, long fingerprint, boolean refuse) {
        String prompt = String.valueOf(input.get("prompt")).strip();
        String instructions = input.get("system_prompt") instanceof String text ? text : "";
        Language language = prompt.codePoints().anyMatch(c -> Character.UnicodeScript.of(c)
            == Character.UnicodeScript.CYRILLIC) ? RUSSIAN : ENGLISH;
        SplittableRandom random = new SplittableRandom(fingerprint);
        Matcher count = PROMPT_COUNT.matcher(instructions);
        String text;
        if (refuse) {
            Matcher marker = REFUSAL_MARKER.matcher(instructions);
            text = marker.find() ? marker.group(1).replaceAll("[.,;]+$", "") : language.refusal();
        } else if (count.find()) {
            text = variations(topic(prompt), Math.min(20, Integer.parseInt(count.group(1))), language, random);
        } else {
            text = prose(topic(prompt), prompt.toLowerCase(Locale.ROOT).contains(LONG_CUE), language, random);
        }
        List<String> pieces = new ArrayList<>();
        String[] words = text.split(" ");
        for (int i = 0; i < words.length; i++) {
            pieces.add(i == 0 ? words[i] : " " + words[i]);
        }
        return pieces;
    }

    private static String topic(String prompt) {
        return prompt.replaceAll("(?i)" + LONG_CUE, "").replaceAll("\\s+", " ").strip();
    }

    private static String variations(String topic, int count, Language language, SplittableRandom random) {
        int offset = random.nextInt(language.styles().size());
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String style = language.styles().get((offset + i) % language.styles().size());
            lines.add(i < language.styles().size() ? topic + ", " + style : topic + ", " + style + " " + (i + 1));
        }
        return String.join("\n", lines);
    }

    private static String prose(String topic, boolean longAnswer, Language language, SplittableRandom random) {
        StringBuilder text = new StringBuilder(String.format(pick(language.openings(), random), topic));
        int paragraphs = longAnswer ? LONG_PARAGRAPHS : 1;
        for (int p = 0; p < paragraphs; p++) {
            if (p > 0) {
                text.append("\n\n").append(pick(language.middles(), random));
            }
            int sentences = longAnswer ? 4 : 2;
            for (int s = 0; s < sentences; s++) {
                text.append(' ').append(pick(language.middles(), random));
            }
        }
        return text.append(' ').append(pick(language.closings(), random)).toString();
    }

    private static String pick(List<String> options, SplittableRandom random) {
        return options.get(random.nextInt(options.size()));
    }
}
