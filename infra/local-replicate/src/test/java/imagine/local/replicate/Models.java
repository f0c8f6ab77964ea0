package imagine.local.replicate;

import java.util.List;
import java.util.Map;

/** Model schemas like the ones the bot uses. */
final class Models {
    static final String FLUX = "black-forest-labs/flux-schnell";
    static final String KONTEXT = "black-forest-labs/flux-kontext-pro";
    static final String SEEDREAM = "bytedance/seedream-4";
    static final String VIDEO = "wan-video/wan-2.2-t2v-fast";
    static final String LLAMA = "meta/meta-llama-3-8b-instruct";
    static final String UPSCALER = "recraft-ai/recraft-crisp-upscale";
    /** Pictures for tests that look at predictions, not pixels: a small part of the CPU of full ones to draw. */
    static final int SMALL_PICTURES = 256;

    static final Map<String, ModelSchema> ALL = Map.of(
        FLUX, new ModelSchema("image", "aspect_ratio", List.of("1:1", "16:9", "9:16", "4:3", "3:4"), null, false),
        KONTEXT, new ModelSchema("edit", "aspect_ratio", List.of("match_input_image", "1:1", "16:9"),
            "input_image", true),
        SEEDREAM, new ModelSchema("image", "aspect_ratio", List.of("1:1", "16:9", "custom"), null, false),
        VIDEO, new ModelSchema("video", "aspect_ratio", List.of("16:9", "9:16"), null, false),
        LLAMA, new ModelSchema("text", null, List.of(), null, false),
        UPSCALER, new ModelSchema("upscale", null, List.of(), "image", true));

    private Models() {
    }

    static String path(String model) {
        return "/v1/models/" + model + "/predictions";
    }
}
