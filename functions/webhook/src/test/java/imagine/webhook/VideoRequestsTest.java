package imagine.webhook;

import static com.amazonaws.services.lambda.runtime.tests.EventLoader.loadApiGatewayHttpEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.testing.TestContext;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@code /video}: a prompt becomes a text-to-video job, a photo captioned with it an image-to-video job. */
class VideoRequestsTest {
    private final List<Job> enqueued = new CopyOnWriteArrayList<>();
    private final WebhookHandler handler = new WebhookHandler(new WebhookComponents(new WebhookSettings("local-webhook-secret",
            "imagine_local_bot", "ideogram", 2, Set.of(), Set.of()), Catalog.load(), enqueued::addAll,
            new UnlimitedUserState(), edit -> { }, ResultLookup.NONE));

    private JsonNode reply(APIGatewayV2HTTPEvent event) throws Exception {
        return Json.MAPPER.readTree(handler.answer(event, new TestContext()).getBody());
    }

    private static APIGatewayV2HTTPEvent with(String eventFile, String field, String value) throws Exception {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent(eventFile);
        ObjectNode update = (ObjectNode) Json.MAPPER.readTree(event.getBody());
        ((ObjectNode) update.get("message")).put(field, value);
        event.setBody(Json.MAPPER.writeValueAsString(update));
        return event;
    }

    @Test
    void aVideoPromptIsOneTextToVideoJobAndTheUserIsToldItTakesMinutes() throws Exception {
        JsonNode reply = reply(with("telegram-private-text.json", "text", "/video waves at dusk --ar 9:16"));

        assertThat(enqueued).singleElement().satisfies(job -> {
            assertThat(job.model()).isEqualTo("seedance");
            assertThat(job.prompt()).isEqualTo("waves at dusk");
            assertThat(job.aspectRatio()).isEqualTo("9:16");
            assertThat(job.photoFileId()).isNull();
        });
        assertThat(reply.get("text").asText()).isEqualTo("Got it: making 1 video with Seedance 1 Lite. A video takes a"
                + " few minutes; each arrives here when it is ready.");
    }

    @Test
    void aPhotoCaptionedWithVideoIsAnimatedByTheModelThatNeedsAStartImage() throws Exception {
        JsonNode reply = reply(with("telegram-photo-caption.json", "caption", "/video the waves start to move"));

        assertThat(enqueued).singleElement().satisfies(job -> {
            assertThat(job.model()).isEqualTo("kling");
            assertThat(job.prompt()).isEqualTo("the waves start to move");
            assertThat(job.photoFileId()).isEqualTo("AgACAgIAAxkBAAIBlarge");
            assertThat(job.aspectRatio()).isNull();
        });
        assertThat(reply.get("text").asText()).contains("Kling 2.1");
    }

    @Test
    void anImageToVideoModelWithoutAPhotoIsRefusedAndMakesNoJob() throws Exception {
        JsonNode reply = reply(with("telegram-private-text.json", "text", "/video waves --model kling"));

        assertThat(enqueued).isEmpty();
        assertThat(reply.get("text").asText())
                .isEqualTo("Kling 2.1 works on a photo: send a photo with your text as its caption.");
    }

    @Test
    void anEmptyVideoRequestGetsTheUsualHint() throws Exception {
        JsonNode reply = reply(with("telegram-private-text.json", "text", "/video"));

        assertThat(enqueued).isEmpty();
        assertThat(reply.get("text").asText()).startsWith("Write what to draw");
    }
}
