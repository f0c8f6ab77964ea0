package imagine.local.replicate;

import java.util.List;

/**
 * What a model accepts, enough to validate inputs the way Replicate does and to pick the output.
 *
 * @param kind             image, edit, video, text or upscale (which takes a picture and no prompt)
 * @param aspectRatioField input field holding "W:H", or null when the model has none
 * @param aspectRatios     allowed values of that field; empty means any "W:H"
 * @param imageField       input field holding an input image URL, or null
 * @param imageRequired    whether that field must be present
 */
public record ModelSchema(String kind, String aspectRatioField, List<String> aspectRatios,
                          String imageField, boolean imageRequired) {
    public static final String IMAGE = "image";
    public static final String EDIT = "edit";
    public static final String VIDEO = "video";
    public static final String TEXT = "text";
    public static final String UPSCALE = "upscale";

    public ModelSchema {
        if (!List.of(IMAGE, EDIT, VIDEO, TEXT, UPSCALE).contains(kind)) {
            throw new IllegalArgumentException("unknown model kind: " + kind);
        }
        aspectRatios = aspectRatios == null ? List.of() : List.copyOf(aspectRatios);
    }

    /** The schema used for every model when no models are configured. */
    static ModelSchema anyImage() {
        return new ModelSchema(IMAGE, "aspect_ratio", List.of(), "image", false);
    }
}
