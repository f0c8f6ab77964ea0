package imagine.webhook;

import imagine.core.Catalog;
import imagine.core.Model;
import imagine.core.Texts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One prompt with the options a power user may put in it: {@code --model seedream}, {@code --ar 16:9},
 * {@code --n 2}. Either the prompt or, for a wrong option, the reply that lists the valid values.
 */
record PromptLine(String prompt, Model model, String aspectRatio, int count, String problem) {
    static final int MAX_IMAGES_PER_PROMPT = 4;

    /** {@code choices}: the user's model, aspect ratio and count, for what the line does not say. */
    static PromptLine parse(String line, Catalog catalog, UserSettings.Choices choices, Texts texts) {
        Model defaultModel = choices.model();
        int defaultCount = choices.imagesPerPrompt();
        List<String> words = new ArrayList<>();
        Model model = defaultModel;
        String ratio = null;
        int count = defaultCount;
        String[] tokens = line.split("\\s+");
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i];
            if (!token.startsWith("--") || token.length() < 3) {
                words.add(token);
                continue;
            }
            String option = token.toLowerCase(Locale.ROOT);
            if (!option.equals("--model") && !option.equals("--ar") && !option.equals("--n")) {
                return problem(texts.get("option_unknown", token));
            }
            if (i + 1 == tokens.length) {
                return problem(texts.get("option_missing_value", token));
            }
            String value = tokens[++i];
            switch (option) {
                case "--model" -> {
                    model = catalog.find(value.toLowerCase(Locale.ROOT)).filter(found -> !found.isText()).orElse(null);
                    if (model == null) {
                        return problem(texts.get("model_unknown", value, keys(catalog)));
                    }
                }
                case "--ar" -> ratio = value;
                default -> {
                    count = parseCount(value);
                    if (count < 1) {
                        return problem(texts.get("count_invalid", MAX_IMAGES_PER_PROMPT));
                    }
                }
            }
        }
        if (ratio != null && !model.accepts(ratio)) {
            return problem(texts.get("ratio_invalid", model.name(), ratio, String.join(", ", model.aspectRatios())));
        }
        if (ratio == null) {
            ratio = choices.aspectRatio() != null && model.accepts(choices.aspectRatio())
                    ? choices.aspectRatio() : model.defaultAspectRatio();
        }
        return new PromptLine(String.join(" ", words), model, ratio, count, null);
    }

    static String keys(Catalog catalog) {
        return catalog.imageModels().stream().map(Model::key).collect(Collectors.joining(", "));
    }

    private static int parseCount(String value) {
        try {
            int count = Integer.parseInt(value);
            return count >= 1 && count <= MAX_IMAGES_PER_PROMPT ? count : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static PromptLine problem(String text) {
        return new PromptLine(null, null, null, 0, text);
    }
}
