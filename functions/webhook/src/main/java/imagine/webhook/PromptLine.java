package imagine.webhook;

import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.Model;
import imagine.core.ModelKind;
import imagine.core.Texts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One prompt with the options a power user may put in it: {@code --model seedream}, {@code --ar 16:9},
 * {@code --n 2}, {@code --seed 42}; {@code --model all} (every line of {@code /compare}) has every image model of the
 * catalog draw it once. Either the images to draw or, for a wrong option, the reply that says what is wrong.
 *
 * @param drawings   one per image, in order: the images of one model, or one per model of a comparison
 * @param comparison every image model draws the prompt, and the pictures go as one album
 */
record PromptLine(String prompt, List<Drawing> drawings, boolean comparison, String problem) {
    static final int MAX_IMAGES_PER_PROMPT = 4;
    private static final String ALL_MODELS = "all";

    /**
     * One image of the prompt.
     *
     * @param aspectRatio what the model is given
     * @param askedRatio  the ratio asked for with {@code --ar} when the model does not take it and got the nearest it
     *                    takes instead; null otherwise
     * @param seed        the seed the user chose for this image; null for one derived from the job
     */
    record Drawing(Model model, String aspectRatio, String askedRatio, Long seed) {
    }

    /**
     * @param choices the user's model, aspect ratio and count, for what the line does not say
     * @param compare whether the line is a comparison whatever it says ({@code /compare})
     */
    static PromptLine parse(String line, Catalog catalog, UserSettings.Choices choices, boolean compare, Texts texts) {
        List<String> words = new ArrayList<>();
        boolean all = compare;
        Model named = null;
        String ratio = null;
        Integer count = null;
        Long seed = null;
        String[] tokens = line.split("\\s+");
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i];
            if (!token.startsWith("--") || token.length() < 3) {
                words.add(token);
                continue;
            }
            String option = token.toLowerCase(Locale.ROOT);
            if (!List.of("--model", "--ar", "--n", "--seed").contains(option)) {
                return problem(texts.get("option_unknown", token));
            }
            if (i + 1 == tokens.length) {
                return problem(texts.get("option_missing_value", token));
            }
            String value = tokens[++i];
            switch (option) {
                case "--model" -> {
                    if (value.equalsIgnoreCase(ALL_MODELS)) {
                        all = true;
                    } else {
                        named = catalog.find(value.toLowerCase(Locale.ROOT)).filter(Model::takesPrompts).orElse(null);
                        if (named == null) {
                            return problem(texts.get("model_unknown", value, keys(catalog)));
                        }
                    }
                }
                case "--ar" -> ratio = value;
                case "--n" -> {
                    count = parseCount(value);
                    if (count < 1) {
                        return problem(texts.get("count_invalid", MAX_IMAGES_PER_PROMPT));
                    }
                }
                default -> {
                    seed = parseSeed(value);
                    if (seed == null) {
                        return problem(texts.get("seed_invalid", Job.MAX_CHOSEN_SEED));
                    }
                }
            }
        }
        String prompt = String.join(" ", words);
        if (all) {
            return comparison(prompt, catalog, choices, named, ratio, count, seed, texts);
        }
        Model model = named != null ? named : choices.model();
        if (ratio != null && !model.accepts(ratio)) {
            return problem(texts.get("ratio_invalid", model.name(), ratio, String.join(", ", model.aspectRatios())));
        }
        if (ratio == null) {
            ratio = choices.aspectRatio() != null && model.accepts(choices.aspectRatio())
                    ? choices.aspectRatio() : model.defaultAspectRatio();
        }
        int images = count != null ? count : choices.imagesPerPrompt();
        if (seed != null && !model.takesSeed()) {
            return problem(texts.get("seed_not_taken", model.name(), seededKeys(catalog)));
        }
        if (seed != null && seed + images - 1 > Job.MAX_CHOSEN_SEED) {
            return problem(texts.get("seed_invalid", Job.MAX_CHOSEN_SEED));
        }
        List<Drawing> drawings = new ArrayList<>();
        for (int v = 0; v < images; v++) {
            drawings.add(new Drawing(model, ratio, null, seed == null ? null : seed + v));
        }
        return new PromptLine(prompt, drawings, false, null);
    }

    /**
     * Every image model once, in the catalog's order: each with the ratio asked for where it takes it, else the nearest
     * it takes; the seed where it takes one.
     */
    private static PromptLine comparison(String prompt, Catalog catalog, UserSettings.Choices choices, Model named,
                                         String ratio, Integer count, Long seed, Texts texts) {
        List<Model> models = catalog.ofKind(ModelKind.IMAGE);
        if (named != null) {
            return problem(texts.get("compare_with_model", models.stream().map(Model::name)
                    .collect(Collectors.joining(", "))));
        }
        if (count != null) {
            return problem(texts.get("compare_with_count"));
        }
        if (ratio != null && Model.shape(ratio).isEmpty()) {
            return problem(texts.get("compare_ratio_invalid"));
        }
        List<Drawing> drawings = models.stream().map(model -> {
            String given = model.nearestAspectRatio(ratio != null ? ratio : choices.aspectRatio());
            return new Drawing(model, given, ratio != null && !ratio.equals(given) ? ratio : null,
                    model.takesSeed() ? seed : null);
        }).toList();
        return new PromptLine(prompt, drawings, true, null);
    }

    /** The model of the prompt's images; for a comparison, the first model's. */
    Model model() {
        return drawings.get(0).model();
    }

    String aspectRatio() {
        return drawings.get(0).aspectRatio();
    }

    /** How many images the prompt makes. */
    int count() {
        return drawings.size();
    }

    /** The seed of the first image, null when the user chose none. */
    Long seed() {
        return drawings.get(0).seed();
    }

    static String keys(Catalog catalog) {
        return catalog.imageModels().stream().map(Model::key).collect(Collectors.joining(", "));
    }

    /** The models {@code --seed} works with. */
    static String seededKeys(Catalog catalog) {
        return catalog.imageModels().stream().filter(Model::takesSeed).map(Model::key)
                .collect(Collectors.joining(", "));
    }

    private static int parseCount(String value) {
        try {
            int count = Integer.parseInt(value);
            return count >= 1 && count <= MAX_IMAGES_PER_PROMPT ? count : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A seed a user may choose, or null. */
    private static Long parseSeed(String value) {
        if (!value.matches("[0-9]{1,10}")) {
            return null;
        }
        long seed = Long.parseLong(value);
        return seed <= Job.MAX_CHOSEN_SEED ? seed : null;
    }

    private static PromptLine problem(String text) {
        return new PromptLine(null, List.of(), false, text);
    }
}
