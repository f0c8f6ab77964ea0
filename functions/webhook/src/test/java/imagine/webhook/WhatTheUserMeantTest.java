package imagine.webhook;

import static com.amazonaws.services.lambda.runtime.tests.EventLoader.loadApiGatewayHttpEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.Task;
import imagine.core.testing.TestContext;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Messages whose form says more than their words: a picture sent as a file, a caption on media the bot cannot use,
 * and a command line among prompts. Each is done as the user meant, or answered with why not.
 */
class WhatTheUserMeantTest {
    private static final String MEDIA = "I work on photos and text: send a photo with a caption to change it, or write"
            + " what to draw. Voice messages, videos, audio, GIFs and other files I can't use.";

    private final List<Job> enqueued = new CopyOnWriteArrayList<>();
    private final WebhookHandler handler = new WebhookHandler(new WebhookComponents(new WebhookSettings(
            "local-webhook-secret", "imagine_local_bot", "ideogram", 1, Set.of(), Set.of()), Catalog.load(),
            enqueued::addAll, new UnlimitedUserState(), edit -> { }, ResultLookup.NONE));

    @Test
    void anImageSentAsAFileWithACaptionIsAnEditOfThatFile() throws Exception {
        JsonNode reply = reply(loadApiGatewayHttpEvent("telegram-document-image.json"));

        assertThat(enqueued).singleElement().satisfies(job -> {
            assertThat(job.jobId()).isEqualTo("500013-0-0");
            assertThat(job.photoFileId()).isEqualTo("BQACAgIAAxkBAAIBdocument");
            assertThat(job.prompt()).isEqualTo("make it look like a van Gogh painting");
            assertThat(job.model()).isEqualTo("kontext");
            assertThat(job.replyTo()).isEqualTo(17);
        });
        assertThat(reply.get("text").asText()).contains("FLUX.1 Kontext Pro");
    }

    @Test
    void anImageFileIsAskedForACaptionHeldToTheSizeLimitAndToTheTypesAModelReads() throws Exception {
        assertThat(text(document(message -> message.remove("caption")))).startsWith("Add a caption to the photo");
        assertThat(text(document(message -> ((ObjectNode) message.get("document")).put("file_size", 25L << 20))))
                .contains("over 20 MB");
        assertThat(text(document(message -> ((ObjectNode) message.get("document")).put("mime_type", "image/heic"))))
                .isEqualTo("I can work on JPEG, PNG and WebP pictures. Send this one as a photo (not as a file), with"
                        + " a caption that says what to change.");
        assertThat(text(document(message -> message.put("caption", "/video the waves start to move"))))
                .startsWith("Got it: making 1 video with Kling 2.1");
        assertThat(enqueued).singleElement().satisfies(job -> assertThat(job.photoFileId())
                .isEqualTo("BQACAgIAAxkBAAIBdocument"));
    }

    @Test
    void aCaptionOnMediaTheBotCannotUseIsAnsweredWithWhatItWorksOn() throws Exception {
        assertThat(text(loadApiGatewayHttpEvent("telegram-video-caption.json"))).isEqualTo(MEDIA);
        for (String kind : List.of("audio", "voice", "animation")) {
            assertThat(text(video(message -> message.set(kind, message.remove("video"))))).as(kind).isEqualTo(MEDIA);
        }
        assertThat(text(video(message -> message.remove("caption")))).as("no caption").isEqualTo(MEDIA);
        assertThat(text(document(message -> ((ObjectNode) message.get("document")).put("mime_type", "application/pdf"))))
                .isEqualTo(MEDIA);
        assertThat(text(video(message -> ((ObjectNode) message.get("from")).put("language_code", "ru"))))
                .startsWith("Я работаю с фото и текстом");
        assertThat(enqueued).isEmpty();
    }

    @Test
    void inAGroupOnlyMediaCaptionedWithACommandForThisBotIsAnswered() throws Exception {
        assertThat(reply(video(message -> ((ObjectNode) message.get("chat")).put("id", -100777).put("type", "group"))))
                .isNull();
        assertThat(text(video(message -> {
            ((ObjectNode) message.get("chat")).put("id", -100777).put("type", "group");
            message.put("caption", "/imagine@imagine_local_bot bigger waves");
        }))).isEqualTo(MEDIA);
        assertThat(enqueued).isEmpty();
    }

    @Test
    void aCommandLineAmongPromptsIsNamedAndNothingIsDrawn() throws Exception {
        assertThat(text(message("a fox in the snow\n/model seedream\na cat"))).isEqualTo("Line 2 is the command"
                + " /model, and commands go in a message of their own, so I did nothing with this message. Send"
                + " /model alone, and what to draw in another message.");
        assertThat(text(message("/imagine a fox\n\n/settings"))).startsWith("Line 3 is the command /settings,");
        assertThat(text(message("/model\na fox"))).startsWith("Line 1 is the command /model,");
        assertThat(text(message("/idea a winter city\n/usage@imagine_local_bot"))).startsWith(
                "Line 2 is the command /usage,");
        assertThat(text(photo("make it blue\n/model kontext"))).startsWith("Line 2 is the command /model,");
        assertThat(text(message("a fox\n/cancel", "ru"))).startsWith("Строка 2 — команда /cancel");
        assertThat(enqueued).isEmpty();
    }

    @Test
    void aMessageThatIsOnlyTheCommandIsDoneAndOtherSlashesAreWords() throws Exception {
        assertThat(text(message("\n  /model  \n\n"))).startsWith("Model for your prompts");
        assertThat(text(message("a fox\n/r/earthporn style\n/5 of a pizza"))).startsWith("Got it: 3 prompts");
        assertThat(text(message("/write a help text for my bot:\n/start begins\n/help explains"))).startsWith(
                "Got it: writing");
        assertThat(enqueued).extracting(Job::task).containsExactly(Task.IMAGE, Task.IMAGE, Task.IMAGE, Task.WRITE);
    }

    private String text(APIGatewayV2HTTPEvent event) throws Exception {
        return reply(event).get("text").asText();
    }

    private JsonNode reply(APIGatewayV2HTTPEvent event) throws Exception {
        String body = handler.answer(event, new TestContext()).getBody();
        return body.isEmpty() ? null : Json.MAPPER.readTree(body);
    }

    private static APIGatewayV2HTTPEvent message(String text) throws Exception {
        return message(text, "en");
    }

    private static APIGatewayV2HTTPEvent message(String text, String language) throws Exception {
        return changed("telegram-private-text.json", message -> {
            message.put("text", text);
            ((ObjectNode) message.get("from")).put("language_code", language);
        });
    }

    private static APIGatewayV2HTTPEvent photo(String caption) throws Exception {
        return changed("telegram-photo-caption.json", message -> message.put("caption", caption));
    }

    private static APIGatewayV2HTTPEvent document(Consumer<ObjectNode> change) throws Exception {
        return changed("telegram-document-image.json", change);
    }

    private static APIGatewayV2HTTPEvent video(Consumer<ObjectNode> change) throws Exception {
        return changed("telegram-video-caption.json", change);
    }

    /** A sample event with its message changed. */
    private static APIGatewayV2HTTPEvent changed(String sample, Consumer<ObjectNode> change) throws Exception {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent(sample);
        ObjectNode update = (ObjectNode) Json.MAPPER.readTree(event.getBody());
        change.accept((ObjectNode) update.get("message"));
        event.setBody(Json.MAPPER.writeValueAsString(update));
        return event;
    }
}
