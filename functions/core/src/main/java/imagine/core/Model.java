package imagine.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * One catalog entry: a model on Replicate and the input schema the bot fills for it.
 *
 * @param key              short name users type and callbacks carry
 * @param replicate        "owner/name" on Replicate
 * @param kind             what the model makes
 * @param promptField      input field for the prompt, null for a model that takes none (an upscaler)
 * @param aspectRatioField input field for the aspect ratio, null when the model has none
 * @param aspectRatios     values the model accepts there, the first is the default
 * @param seedField        input field for a seed, null when the model has none
 * @param imageField       input field for an input image URL, null when the model takes none
 * @param extraInput       fixed inputs sent with every prediction
 * @param priceUsd         estimated price of one output
 * @param systemPromptField input field for a text model's instructions, null for other models
 * @param billing          how Replicate charges for a prediction (per output when the catalog does not say)
 */
public record Model(
        String key,
        String name,
        String replicate,
        ModelKind kind,
        String promptField,
        String aspectRatioField,
        List<String> aspectRatios,
        String seedField,
        String imageField,
        boolean imageRequired,
        Map<String, Object> extraInput,
        double priceUsd,
        String systemPromptField,
        Billing billing) {

    private static final Pattern RATIO = Pattern.compile("[0-9]{1,4}:[0-9]{1,4}");

    public Model {
        billing = billing == null ? Billing.PER_OUTPUT : billing;
    }

    public String owner() {
        return replicate.substring(0, replicate.indexOf('/'));
    }

    public String modelName() {
        return replicate.substring(replicate.indexOf('/') + 1);
    }

    public String defaultAspectRatio() {
        return aspectRatios == null || aspectRatios.isEmpty() ? null : aspectRatios.get(0);
    }

    /** The prediction input for one image: the catalog's fixed inputs plus this prompt's values. */
    public Map<String, Object> input(String prompt, String aspectRatio, long seed) {
        Map<String, Object> input = new LinkedHashMap<>(extraInput == null ? Map.of() : extraInput);
        if (promptField != null) {
            input.put(promptField, prompt);
        }
        if (aspectRatioField != null) {
            input.put(aspectRatioField, aspectRatio != null ? aspectRatio : defaultAspectRatio());
        }
        if (seedField != null) {
            input.put(seedField, seed);
        }
        return input;
    }

    public boolean isVideo() {
        return kind == ModelKind.VIDEO;
    }

    /** A language model: it writes prompts and texts, it does not draw. */
    public boolean isText() {
        return kind == ModelKind.TEXT;
    }

    /**
     * A model that makes something from a user's prompt (an image, an edit, a video): what {@code --model} and
     * {@code /model} may name. A text model writes and an upscaler enlarges; the bot calls those itself.
     */
    public boolean takesPrompts() {
        return kind == ModelKind.IMAGE || kind == ModelKind.EDIT || kind == ModelKind.VIDEO;
    }

    public boolean takesSeed() {
        return seedField != null;
    }

    /** A text model's input: the catalog's fixed inputs, the instructions and the user's request. */
    public Map<String, Object> textInput(String systemPrompt, String prompt) {
        Map<String, Object> input = new LinkedHashMap<>(extraInput == null ? Map.of() : extraInput);
        input.put(promptField, prompt);
        input.put(systemPromptField, systemPrompt);
        return input;
    }

    public boolean accepts(String aspectRatio) {
        return aspectRatios != null && aspectRatios.contains(aspectRatio);
    }

    /**
     * {@code asked} when the model takes it, else the ratio it takes that is nearest in shape (by how much wider or
     * taller it is, so 2:1 is as far from 1:1 as 1:2); its default when {@code asked} is no {@code W:H} or the model
     * takes none.
     */
    public String nearestAspectRatio(String asked) {
        if (accepts(asked)) {
            return asked;
        }
        OptionalDouble wanted = shape(asked);
        if (wanted.isEmpty() || aspectRatios == null) {
            return defaultAspectRatio();
        }
        String nearest = defaultAspectRatio();
        double distance = Double.MAX_VALUE;
        for (String ratio : aspectRatios) {
            OptionalDouble taken = shape(ratio);
            double off = taken.isPresent() ? Math.abs(Math.log(taken.getAsDouble() / wanted.getAsDouble()))
                    : Double.MAX_VALUE;
            if (off < distance) {
                distance = off;
                nearest = ratio;
            }
        }
        return nearest;
    }

    /** Width over height of a {@code W:H} ratio of positive whole numbers; empty for anything else. */
    public static OptionalDouble shape(String ratio) {
        if (ratio == null || !RATIO.matcher(ratio).matches()) {
            return OptionalDouble.empty();
        }
        String[] sides = ratio.split(":");
        double width = Double.parseDouble(sides[0]);
        double height = Double.parseDouble(sides[1]);
        return width > 0 && height > 0 ? OptionalDouble.of(width / height) : OptionalDouble.empty();
    }
}
