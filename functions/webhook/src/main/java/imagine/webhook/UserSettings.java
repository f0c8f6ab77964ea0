package imagine.webhook;

import imagine.core.Catalog;
import imagine.core.Model;

/**
 * What a user picked with /model and /settings, stored as {@code users/<id>.json}; null or 0 means
 * "the bot's default", so a default changed later reaches everyone who never picked.
 *
 * @param model           catalog key
 * @param aspectRatio     for the model above; one it does not take falls back to the model's default
 * @param imagesPerPrompt 1-4
 * @param asFile          send results as files (full resolution) instead of photos
 * @param album           send the images of one prompt together as one album when the last is ready
 */
record UserSettings(String model, String aspectRatio, int imagesPerPrompt, boolean asFile, boolean album) {
    static final UserSettings DEFAULTS = new UserSettings(null, null, 0, false, false);

    UserSettings(String model, String aspectRatio, int imagesPerPrompt, boolean asFile) {
        this(model, aspectRatio, imagesPerPrompt, asFile, false);
    }

    /** The values that apply now: stored choices that the catalog no longer offers fall back to defaults. */
    record Choices(Model model, String aspectRatio, int imagesPerPrompt, boolean asFile, boolean album) {
    }

    Choices resolve(Catalog catalog, WebhookSettings settings) {
        Model fallback = catalog.get(settings.defaultModel());
        Model chosen = model == null ? fallback : catalog.find(model).filter(Model::takesPrompts).orElse(fallback);
        return new Choices(chosen, aspectRatioFor(chosen),
                imagesPerPrompt >= 1 && imagesPerPrompt <= PromptLine.MAX_IMAGES_PER_PROMPT
                        ? imagesPerPrompt : settings.imagesPerPrompt(),
                asFile, album);
    }

    /** The user's aspect ratio when {@code model} takes it, else the model's default. */
    String aspectRatioFor(Model model) {
        return aspectRatio != null && model.accepts(aspectRatio) ? aspectRatio : model.defaultAspectRatio();
    }

    /** The new model; an aspect ratio it does not take is dropped for its default. */
    UserSettings withModel(Model chosen) {
        String ratio = aspectRatio != null && chosen.accepts(aspectRatio) ? aspectRatio : null;
        return new UserSettings(chosen.key(), ratio, imagesPerPrompt, asFile, album);
    }

    UserSettings withAspectRatio(String ratio) {
        return new UserSettings(model, ratio, imagesPerPrompt, asFile, album);
    }

    UserSettings withImagesPerPrompt(int count) {
        return new UserSettings(model, aspectRatio, count, asFile, album);
    }

    UserSettings withAsFile(boolean file) {
        return new UserSettings(model, aspectRatio, imagesPerPrompt, file, album);
    }

    UserSettings withAlbum(boolean on) {
        return new UserSettings(model, aspectRatio, imagesPerPrompt, asFile, on);
    }
}
