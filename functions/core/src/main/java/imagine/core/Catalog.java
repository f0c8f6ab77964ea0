package imagine.core;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The models the bot offers, read from the data file {@code imagine/models.json}. */
public final class Catalog {
    private static final String RESOURCE = "/imagine/models.json";

    private final Map<String, Model> byKey = new LinkedHashMap<>();

    public Catalog(List<Model> models) {
        models.forEach(model -> byKey.put(model.key(), model));
    }

    public static Catalog load() {
        try (InputStream in = Catalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return new Catalog(Json.MAPPER.readValue(in, new TypeReference<List<Model>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    public Optional<Model> find(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    public Model get(String key) {
        return find(key).orElseThrow(() -> new IllegalArgumentException("no model '" + key + "' in the catalog"));
    }

    /** The models that draw: what {@code --model} and {@code /model} may name. */
    public List<Model> imageModels() {
        return byKey.values().stream().filter(Model::takesPrompts).toList();
    }

    /** The models of one kind, in the catalog's order: those of kind image are what {@code /compare} draws with. */
    public List<Model> ofKind(ModelKind kind) {
        return byKey.values().stream().filter(model -> model.kind() == kind).toList();
    }

    /** The model 🔍 Upscale enlarges a result with: the first of kind upscale. */
    public Optional<Model> upscaleModel() {
        return ofKind(ModelKind.UPSCALE).stream().findFirst();
    }

    /** The model a photo with a caption goes to unless the caption names another: the first of kind edit. */
    public Model editModel() {
        return byKey.values().stream().filter(model -> model.kind() == ModelKind.EDIT).findFirst()
                .orElseThrow(() -> new IllegalStateException("no model of kind edit in the catalog"));
    }

    /**
     * The model {@code /video} goes to unless the user chose another video model: for a photo the first that
     * animates one (one that needs a start image first), for a prompt alone the first that needs no image.
     */
    public Model videoModel(boolean fromPhoto) {
        return (fromPhoto
                ? animationModel()
                : byKey.values().stream().filter(Model::isVideo).filter(model -> !model.imageRequired()).findFirst())
                .orElseThrow(() -> new IllegalStateException("no video model in the catalog for this"));
    }

    /** The video model that animates an image: the first that needs a start image, else the first that takes one. */
    public Optional<Model> animationModel() {
        List<Model> videos = byKey.values().stream().filter(Model::isVideo).toList();
        return videos.stream().filter(Model::imageRequired).findFirst()
                .or(() -> videos.stream().filter(model -> model.imageField() != null).findFirst());
    }

    /** The language model that writes {@code /idea} prompts and {@code /write} texts: the first of kind text. */
    public Model textModel() {
        return byKey.values().stream().filter(Model::isText).findFirst()
                .orElseThrow(() -> new IllegalStateException("no model of kind text in the catalog"));
    }

    public List<Model> models() {
        return List.copyOf(byKey.values());
    }
}
