package imagine.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the catalog offers to whom: what a user may name, what /compare draws with, what 🔍 Upscale runs. */
class CatalogTest {
    private static final Catalog CATALOG = Catalog.load();

    @Test
    void theUpscalerAndTheTextModelAreNotForUsersToName() {
        assertThat(CATALOG.imageModels()).extracting(Model::key)
                .containsExactly("ideogram", "seedream", "imagen", "kontext", "seedance", "kling");
        assertThat(CATALOG.ofKind(ModelKind.IMAGE)).extracting(Model::key)
                .containsExactly("ideogram", "seedream", "imagen");
        assertThat(CATALOG.upscaleModel()).hasValueSatisfying(upscaler -> {
            assertThat(upscaler.replicate()).isEqualTo("recraft-ai/recraft-crisp-upscale");
            assertThat(upscaler.billing()).isEqualTo(Billing.PER_OUTPUT);
            assertThat(upscaler.input(null, null, 7)).as("no prompt, ratio or seed").isEmpty();
        });
    }

    @Test
    void aRatioAModelDoesNotTakeBecomesTheNearestInShape() {
        Model imagen = CATALOG.get("imagen");
        Model ideogram = CATALOG.get("ideogram");

        assertThat(imagen.nearestAspectRatio("16:9")).isEqualTo("16:9");
        assertThat(imagen.nearestAspectRatio("21:9")).isEqualTo("16:9");
        assertThat(imagen.nearestAspectRatio("2:3")).isEqualTo("3:4");
        assertThat(ideogram.nearestAspectRatio("21:9")).isEqualTo("3:1");
        assertThat(ideogram.nearestAspectRatio("5:4")).isEqualTo("4:3");
        assertThat(imagen.nearestAspectRatio("match_input_image")).as("no shape: the default").isEqualTo("1:1");
        assertThat(imagen.nearestAspectRatio(null)).isEqualTo("1:1");
        assertThat(Model.shape("0:5")).isEmpty();
    }
}
