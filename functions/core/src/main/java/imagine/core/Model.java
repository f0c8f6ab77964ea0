package imagine.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One catalog entry: a model on Replicate and the input schema the bot fills for it.
 *
 * @param key              short name users type and callbacks carry
 * @param replicate        "owner/name" on Replicate
 * @param kind             what the model makes
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
        input.put(promptField, prompt);
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
}
