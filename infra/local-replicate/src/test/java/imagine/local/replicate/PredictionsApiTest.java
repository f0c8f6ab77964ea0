package imagine.local.replicate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PredictionsApiTest {
    private static final String TOKEN = "r8_test_token";

    private LocalReplicate replicate;
    private Api api;

    @BeforeEach
    void start() {
        replicate = LocalReplicate.start(LocalReplicate.Options.builder().apiToken(TOKEN)
            .latency(Duration.ofMillis(300)).jitter(0).models(Models.ALL).build());
        api = new Api(replicate.baseUrl(), TOKEN);
    }

    @AfterEach
    void stop() {
        replicate.close();
    }

    @Test
    void preferWaitAnswersTheFinishedPredictionWithAPictureOfTheAskedShape() throws Exception {
        Api.Answer answer = api.post(Models.path(Models.FLUX), Api.create("a red fox in the snow", "16:9"), "wait");

        assertThat(answer.status()).isEqualTo(201);
        JsonNode body = answer.body();
        assertThat(body.get("status").asText()).isEqualTo("succeeded");
        assertThat(body.get("id").asText()).matches("[a-z0-9]{26}");
        assertThat(body.get("model").asText()).isEqualTo(Models.FLUX);
        assertThat(body.get("input").get("prompt").asText()).isEqualTo("a red fox in the snow");
        assertThat(body.get("urls").get("get").asText()).endsWith("/v1/predictions/" + body.get("id").asText());
        assertThat(body.get("metrics").get("predict_time").asDouble()).isPositive();
        assertThat(body.get("completed_at").asText()).isNotEmpty();
        String output = body.get("output").asText();
        assertThat(output).isEqualTo(replicate.baseUrl() + "/files/" + body.get("id").asText() + "/output.png");
        BufferedImage image = api.image(output);
        assertThat(image.getWidth()).isEqualTo(1024);
        assertThat(image.getHeight()).isEqualTo(576);
    }

    @Test
    void aClientThatReachedTheModelByAnotherNameGetsUrlsUnderThatName() throws Exception {
        URI byName = URI.create("http://localhost:" + replicate.baseUrl().getPort());

        Api.Answer answer = new Api(byName, TOKEN).post(Models.path(Models.FLUX), Api.create("a fox", "1:1"), "wait");

        String output = answer.body().get("output").asText();
        assertThat(output).startsWith(byName + "/files/");
        assertThat(answer.body().at("/urls/get").asText()).startsWith(byName + "/v1/predictions/");
        assertThat(api.image(output).getWidth()).isEqualTo(1024);
    }

    @Test
    void theWebhookSigningSecretIsServedToTokenHoldersOnly() throws Exception {
        Api.Answer answer = api.get("/v1/webhooks/default/secret");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("key").asText()).isEqualTo(replicate.webhookSigningSecret()).startsWith("whsec_");
        assertThat(new Api(replicate.baseUrl(), "another-token").get("/v1/webhooks/default/secret").status())
            .isEqualTo(401);
    }

    @Test
    void withoutPreferTheAnswerIsStartingAndALaterGetShowsTheResult() throws Exception {
        Api.Answer created = api.post(Models.path(Models.FLUX), Api.create("портрет кота в шляпе", "9:16"), null);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("status").asText()).isEqualTo("starting");
        assertThat(created.body().get("output").isNull()).isTrue();
        String id = created.body().get("id").asText();
        replicate.awaitCompleted(id, Duration.ofSeconds(10));
        Api.Answer later = api.get("/v1/predictions/" + id);
        assertThat(later.body().get("status").asText()).isEqualTo("succeeded");
        BufferedImage image = api.image(later.body().get("output").asText());
        assertThat(image.getWidth()).isEqualTo(576);
        assertThat(image.getHeight()).isEqualTo(1024);
        assertThat(api.get("/v1/predictions").body().get("results").get(0).get("id").asText()).isEqualTo(id);
        assertThat(replicate.countFor(Models.FLUX)).isEqualTo(1);
        assertThat(replicate.predictions()).singleElement().satisfies(p -> {
            assertThat(p.input()).containsEntry("prompt", "портрет кота в шляпе");
            assertThat(p.status()).isEqualTo(Prediction.Status.SUCCEEDED);
        });
    }

    @Test
    void thePictureDependsOnlyOnPromptSeedAndModel() throws Exception {
        String fox = "{\"input\":{\"prompt\":\"a fox\",\"seed\":7,\"aspect_ratio\":\"1:1\"}}";
        String wolf = "{\"input\":{\"prompt\":\"a wolf\",\"seed\":7,\"aspect_ratio\":\"1:1\"}}";
        byte[] first = api.download(api.post(Models.path(Models.FLUX), fox, "wait").body().get("output").asText());
        byte[] again = api.download(api.post(Models.path(Models.FLUX), fox, "wait").body().get("output").asText());
        byte[] other = api.download(api.post(Models.path(Models.FLUX), wolf, "wait").body().get("output").asText());

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void aWrongAspectRatioIsAnInputValidationError() throws Exception {
        Api.Answer answer = api.post(Models.path(Models.FLUX), Api.create("a fox", "5:4"), null);

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body().get("detail").asText())
            .contains("aspect_ratio: aspect_ratio must be one of the following: \"1:1\", \"16:9\"");
        assertThat(answer.body().get("invalid_fields").get(0).get("field").asText()).isEqualTo("input.aspect_ratio");
        assertThat(replicate.createdCount()).isZero();
    }

    @Test
    void aMissingPromptIsAnInputValidationError() throws Exception {
        Api.Answer answer = api.post(Models.path(Models.FLUX), "{\"input\":{}}", null);

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body().get("detail").asText()).contains("prompt is required");
    }

    @Test
    void anUnknownModelIsNotFound() throws Exception {
        Api.Answer answer = api.post(Models.path("someone/unknown"), Api.create("a fox", null), null);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body().get("detail").asText()).isEqualTo("The requested resource could not be found.");
    }

    @Test
    void aWrongTokenIsUnauthenticated() throws Exception {
        Api stranger = new Api(replicate.baseUrl(), "r8_wrong");

        Api.Answer answer = stranger.post(Models.path(Models.FLUX), Api.create("a fox", null), "wait");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.body().get("title").asText()).isEqualTo("Unauthenticated");
        assertThat(answer.body().get("detail").asText()).isEqualTo("You did not pass a valid authentication token");
        assertThat(answer.body().get("status").asInt()).isEqualTo(401);
        assertThat(stranger.get("/v1/predictions").status()).isEqualTo(401);
    }

    @Test
    void aVersionedCreateRunsTheModelOfTheVersion() throws Exception {
        String body = "{\"version\":\"" + Models.FLUX + ":abc123\",\"input\":{\"prompt\":\"a fox\"}}";

        Api.Answer answer = api.post("/v1/predictions", body, "wait=10");

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.body().get("model").asText()).isEqualTo(Models.FLUX);
        assertThat(answer.body().get("version").asText()).isEqualTo("abc123");
        assertThat(answer.body().get("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void anEditDrawsOverTheInputImageInItsShape() throws Exception {
        BufferedImage source = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(source, "png", png);
        String dataUri = "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
        String body = "{\"input\":{\"prompt\":\"make it night\",\"input_image\":\"" + dataUri
            + "\",\"aspect_ratio\":\"match_input_image\"}}";

        Api.Answer answer = api.post(Models.path(Models.KONTEXT), body, "wait");

        assertThat(answer.body().get("status").asText()).isEqualTo("succeeded");
        BufferedImage edited = api.image(answer.body().get("output").asText());
        assertThat(edited.getWidth()).isEqualTo(1024);
        assertThat(edited.getHeight()).isEqualTo(683);
        assertThat(edited.getRGB(5, 5)).isNotEqualTo(source.getRGB(5, 5));
    }

    @Test
    void anEditFetchesItsInputImageOverHttp() throws Exception {
        String first = api.post(Models.path(Models.FLUX), Api.create("a fox", "16:9"), "wait")
            .body().get("output").asText();
        String body = "{\"input\":{\"prompt\":\"add a hat\",\"input_image\":\"" + first + "\"}}";

        Api.Answer answer = api.post(Models.path(Models.KONTEXT), body, "wait");

        BufferedImage edited = api.image(answer.body().get("output").asText());
        assertThat(edited.getWidth()).isEqualTo(1024);
        assertThat(edited.getHeight()).isEqualTo(576);
    }

    @Test
    void anUpscalerAnswersWithItsInputPictureTwiceAsWideAndTall() throws Exception {
        String first = api.post(Models.path(Models.FLUX), Api.create("a fox", "16:9"), "wait")
            .body().get("output").asText();

        Api.Answer answer = api.post(Models.path(Models.UPSCALER), "{\"input\":{\"image\":\"" + first + "\"}}",
            "wait");

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.body().get("status").asText()).isEqualTo("succeeded");
        BufferedImage larger = api.image(answer.body().get("output").asText());
        assertThat(larger.getWidth()).isEqualTo(2048);
        assertThat(larger.getHeight()).isEqualTo(1152);
        assertThat(api.post(Models.path(Models.UPSCALER), "{\"input\":{}}", null).body().get("detail").asText())
            .contains("image is required");
    }

    @Test
    void anEditWithoutItsImageIsAnInputValidationError() throws Exception {
        Api.Answer answer = api.post(Models.path(Models.KONTEXT), Api.create("add a hat", null), null);

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body().get("detail").asText()).contains("input_image is required");
    }

    @Test
    void seedreamCustomTakesTheShapeOfWidthAndHeight() throws Exception {
        String body = "{\"input\":{\"prompt\":\"a tower\",\"aspect_ratio\":\"custom\",\"width\":1200,\"height\":2400}}";

        Api.Answer answer = api.post(Models.path(Models.SEEDREAM), body, "wait");

        BufferedImage image = api.image(answer.body().get("output").asText());
        assertThat(image.getWidth()).isEqualTo(512);
        assertThat(image.getHeight()).isEqualTo(1024);
    }

    @Test
    void aVideoIsALoopingGifOfTwelveFrames() throws Exception {
        Api.Answer answer = api.post(Models.path(Models.VIDEO), Api.create("waves at night", "16:9"), "wait");

        String output = answer.body().get("output").asText();
        assertThat(output).endsWith("/output.gif");
        var reader = ImageIO.getImageReadersByFormatName("gif").next();
        reader.setInput(ImageIO.createImageInputStream(new ByteArrayInputStream(api.download(output))));
        assertThat(reader.getNumImages(true)).isEqualTo(12);
        assertThat(reader.read(0).getWidth()).isEqualTo(480);
        assertThat(reader.read(0).getHeight()).isEqualTo(270);
    }

    @Test
    void aLanguageModelAnswersTokensThatVaryWithThePrompt() throws Exception {
        JsonNode owls = api.post(Models.path(Models.LLAMA), Api.create("owls", null), "wait").body().get("output");
        JsonNode again = api.post(Models.path(Models.LLAMA), Api.create("owls", null), "wait").body().get("output");
        JsonNode cats = api.post(Models.path(Models.LLAMA), Api.create("cats", null), "wait").body().get("output");

        assertThat(owls.isArray()).isTrue();
        assertThat(owls.size()).isGreaterThan(10);
        StringBuilder text = new StringBuilder();
        owls.forEach(piece -> text.append(piece.asText()));
        assertThat(text.toString()).contains("\"owls\"");
        assertThat(again).isEqualTo(owls);
        assertThat(cats).isNotEqualTo(owls);
    }

    @Test
    void aLanguageModelAskedForPromptsWritesThatManyVariationsOneALineInThePromptsLanguage() throws Exception {
        String english = text(answer("a city in a bottle", "Write exactly 3 different image prompts, one per line."));
        String russian = text(answer("город в бутылке", "Write exactly 4 different image prompts, one per line."));

        assertThat(english.lines().toList()).hasSize(3).doesNotHaveDuplicates()
            .allSatisfy(line -> assertThat(line).startsWith("a city in a bottle, "));
        assertThat(russian.lines().toList()).hasSize(4).doesNotHaveDuplicates()
            .allSatisfy(line -> assertThat(line).startsWith("город в бутылке, ").matches("[^a-zA-Z]+"));
        assertThat(text(answer("a city in a bottle", "Write exactly 3 different image prompts, one per line.")))
            .isEqualTo(english);
    }

    @Test
    void aLanguageModelRefusesOnCueWithTheMarkerItsInstructionsName() throws Exception {
        String refusal = text(answer("something dubious #refuse",
            "If the request is unsafe, answer only with [REFUSED]. Write exactly 2 different image prompts."));
        String plain = text(answer("something dubious #refuse", null));

        assertThat(refusal).isEqualTo("[REFUSED]");
        assertThat(plain).isEqualTo("Sorry, I can't help with that.");
    }

    @Test
    void aLanguageModelWritesALongTextInParagraphsOnCue() throws Exception {
        String text = text(answer("a post about owls #long", "Write a post."));

        assertThat(text.length()).isGreaterThan(2 * 4096);
        assertThat(text.split("\n\n")).hasSizeGreaterThan(10);
        assertThat(text).doesNotContain("#long");
    }

    private JsonNode answer(String prompt, String systemPrompt) throws Exception {
        var input = Api.JSON.createObjectNode().put("prompt", prompt);
        if (systemPrompt != null) {
            input.put("system_prompt", systemPrompt);
        }
        Api.Answer answer = api.post(Models.path(Models.LLAMA), Api.JSON.createObjectNode().set("input", input)
            .toString(), "wait");
        assertThat(answer.body().get("status").asText()).isEqualTo("succeeded");
        return answer.body().get("output");
    }

    private static String text(JsonNode pieces) {
        StringBuilder text = new StringBuilder();
        pieces.forEach(piece -> text.append(piece.asText()));
        return text.toString();
    }

    @Test
    void outputFilesAreServedWithTheirContentType() throws Exception {
        String output = api.post(Models.path(Models.FLUX), Api.create("a fox", null), "wait")
            .body().get("output").asText();

        HttpResponse<Void> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create(output)).build(), HttpResponse.BodyHandlers.discarding());

        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(api.get("/files/nope/output.png").status()).isEqualTo(404);
    }
}
