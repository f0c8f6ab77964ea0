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

/** A photo with a caption is an edit of that photo; models that need a photo never get a job without one. */
class PhotoEditsTest {
    private final List<Job> enqueued = new CopyOnWriteArrayList<>();
    private final WebhookHandler handler = new WebhookHandler(new WebhookComponents(new WebhookSettings("local-webhook-secret",
            "imagine_local_bot", "ideogram", 1, Set.of(), Set.of()), Catalog.load(), enqueued::addAll,
            new UnlimitedUserState(), edit -> { }, ResultLookup.NONE));

    private JsonNode reply(APIGatewayV2HTTPEvent event) throws Exception {
        String body = handler.answer(event, new TestContext()).getBody();
        return body.isEmpty() ? null : Json.MAPPER.readTree(body);
    }

    /** The sample photo update with another caption (null for none), chat type and file size. */
    private static APIGatewayV2HTTPEvent photo(String caption, String chatType, long largestSize) throws Exception {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-photo-caption.json");
        ObjectNode update = (ObjectNode) Json.MAPPER.readTree(event.getBody());
        ObjectNode message = (ObjectNode) update.get("message");
        if (caption == null) {
            message.remove("caption");
        } else {
            message.put("caption", caption);
        }
        ((ObjectNode) message.get("chat")).put("type", chatType);
        ((ObjectNode) message.get("photo").get(1)).put("file_size", largestSize);
        event.setBody(Json.MAPPER.writeValueAsString(update));
        return event;
    }

    private static APIGatewayV2HTTPEvent text(String text) throws Exception {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-private-text.json");
        ObjectNode update = (ObjectNode) Json.MAPPER.readTree(event.getBody());
        ((ObjectNode) update.get("message")).put("text", text);
        event.setBody(Json.MAPPER.writeValueAsString(update));
        return event;
    }

    @Test
    void aCaptionedPhotoIsAnEditOfItsLargestSizeWithTheEditModel() throws Exception {
        JsonNode reply = reply(loadApiGatewayHttpEvent("telegram-photo-caption.json"));

        assertThat(enqueued).singleElement().satisfies(job -> {
            assertThat(job.jobId()).isEqualTo("500005-0-0");
            assertThat(job.photoFileId()).isEqualTo("AgACAgIAAxkBAAIBlarge");
            assertThat(job.prompt()).isEqualTo("make it look like a van Gogh painting");
            assertThat(job.model()).isEqualTo("kontext");
            assertThat(job.aspectRatio()).isEqualTo("match_input_image");
            assertThat(job.replyTo()).isEqualTo(15);
        });
        assertThat(reply.get("text").asText()).contains("FLUX.1 Kontext Pro");
    }

    @Test
    void aCaptionOverSeveralLinesIsOneInstructionAndItsOptionsApply() throws Exception {
        reply(photo("make it winter\nadd snow on the roofs --n 2 --ar 16:9", "private", 98431));

        assertThat(enqueued).hasSize(2).allSatisfy(job -> {
            assertThat(job.prompt()).isEqualTo("make it winter add snow on the roofs");
            assertThat(job.aspectRatio()).isEqualTo("16:9");
            assertThat(job.photoFileId()).isEqualTo("AgACAgIAAxkBAAIBlarge");
        });
    }

    @Test
    void aPhotoWithoutCaptionIsAskedForOneAndMakesNoJob() throws Exception {
        JsonNode reply = reply(photo(null, "private", 98431));

        assertThat(enqueued).isEmpty();
        assertThat(reply.get("text").asText()).startsWith("Add a caption to the photo");
    }

    @Test
    void aPhotoTooLargeForTelegramsDownloadLimitIsRefusedAtOnce() throws Exception {
        JsonNode reply = reply(photo("make it blue", "private", 25L * 1024 * 1024));

        assertThat(enqueued).isEmpty();
        assertThat(reply.get("text").asText()).contains("over 20 MB");
    }

    @Test
    void aModelThatDrawsFromTextOnlyIsRefusedForAPhotoAndTheOnesThatTakeOneAreListed() throws Exception {
        JsonNode reply = reply(photo("make it blue --model ideogram", "private", 98431));

        assertThat(enqueued).isEmpty();
        assertThat(reply.get("text").asText())
                .isEqualTo("Ideogram v3 Turbo draws from text only and does not take a photo. Models that work on a"
                        + " photo: kontext, seedance, kling.");
    }

    @Test
    void aModelThatNeedsAPhotoIsRefusedForTextAlone() throws Exception {
        JsonNode reply = reply(text("a fox --model kontext"));

        assertThat(enqueued).isEmpty();
        assertThat(reply.get("text").asText())
                .isEqualTo("FLUX.1 Kontext Pro works on a photo: send a photo with your text as its caption.");
    }

    @Test
    void inAGroupOnlyAPhotoWhoseCaptionIsACommandForThisBotIsTaken() throws Exception {
        assertThat(reply(photo("make it blue", "group", 98431))).isNull();
        assertThat(reply(photo(null, "group", 98431))).isNull();
        assertThat(enqueued).isEmpty();

        reply(photo("/imagine@imagine_local_bot make it blue", "group", 98431));

        assertThat(enqueued).singleElement().satisfies(job -> assertThat(job.prompt()).isEqualTo("make it blue"));
    }
}
