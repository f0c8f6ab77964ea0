package imagine.local.replicate;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Makes a prediction's output: stores its file and answers the output value Replicate would return. */
final class Renderer {
    private static final int VIDEO_LONG_SIDE = 480;
    private static final int VIDEO_FRAMES = 12;
    private static final int VIDEO_FRAME_DELAY = 8;

    private final URI baseUrl;
    private final FileStore files;
    private final ImageFetcher fetcher;
    private final int pictureLongSide;

    Renderer(URI baseUrl, FileStore files, ImageFetcher fetcher, int pictureLongSide) {
        this.baseUrl = baseUrl;
        this.files = files;
        this.fetcher = fetcher;
        this.pictureLongSide = pictureLongSide;
    }

    /** @param refuse a language model answers with a refusal (other models fail before they render) */
    Object render(Prediction prediction, ModelSchema schema, boolean refuse) throws IOException, InterruptedException {
        Map<String, Object> input = prediction.input();
        if (schema.kind().equals(ModelSchema.UPSCALE)) {
            BufferedImage source = fetcher.fetch((String) input.get(schema.imageField()));
            return store(prediction.id(), "output.png", Encoders.png(Upscale.twice(source)), "image/png");
        }
        String prompt = (String) input.get("prompt");
        long seed = PictureSpec.seedOf(input, prompt);
        if (schema.kind().equals(ModelSchema.TEXT)) {
            return TextOutput.pieces(input, new PictureSpec(prompt, seed, prediction.model(), new ImageSize(1, 1))
                .fingerprint(), refuse);
        }
        Object ratio = schema.aspectRatioField() == null ? null : input.get(schema.aspectRatioField());
        BufferedImage source = schema.imageField() != null && input.get(schema.imageField()) instanceof String url
            ? fetcher.fetch(url) : null;
        ImageSize shape = source == null ? new ImageSize(1, 1) : new ImageSize(source.getWidth(), source.getHeight());
        if (schema.kind().equals(ModelSchema.VIDEO)) {
            PictureSpec spec = new PictureSpec(prompt, seed, prediction.model(),
                ImageSize.forInput(ratio, input, shape, Math.min(VIDEO_LONG_SIDE, pictureLongSide)));
            List<BufferedImage> frames = new ArrayList<>();
            for (int i = 0; i < VIDEO_FRAMES; i++) {
                frames.add(PromptPicture.paint(spec, (double) i / VIDEO_FRAMES));
            }
            return store(prediction.id(), "output.gif", Encoders.animatedGif(frames, VIDEO_FRAME_DELAY), "image/gif");
        }
        PictureSpec spec = new PictureSpec(prompt, seed, prediction.model(),
            ImageSize.forInput(ratio, input, shape, pictureLongSide));
        BufferedImage picture = source == null ? PromptPicture.paint(spec) : EditPicture.paint(spec, source);
        return store(prediction.id(), "output.png", Encoders.png(picture), "image/png");
    }

    private String store(String id, String name, byte[] bytes, String contentType) {
        files.put(id, name, bytes, contentType);
        return baseUrl.resolve("/files/" + id + "/" + name).toString();
    }
}
