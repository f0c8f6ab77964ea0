package imagine.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.Model;
import imagine.worker.telegram.TelegramClient;
import imagine.worker.telegram.TelegramException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeliveryTest {
    private final MockWebServer telegram = new MockWebServer();
    private final List<Long> pauses = new ArrayList<>();
    private final Model ideogram = Catalog.load().get("ideogram");
    private Delivery delivery;

    @BeforeEach
    void start() throws IOException {
        telegram.start();
        delivery = new Delivery(new TelegramClient(new OkHttpClient(), telegram.url("/").toString(), "0000:test-token"),
                ChatPacer.NONE, pauses::add);
    }

    @AfterEach
    void stop() {
        telegram.close();
    }

    private static Job job(String prompt) {
        return Job.builder().jobId("9-1-0").replyingTo(1001, 11).user(1001, "en").prompt(prompt).model("ideogram").aspectRatio("1:1").position(2, 4).build();
    }

    @Test
    void captionNamesPositionModelAndPromptWithinTelegramsLimit() {
        assertThat(Delivery.caption(job("a fox"), ideogram)).isEqualTo("2/4 · Ideogram v3 Turbo\na fox");

        String caption = Delivery.caption(job("ж".repeat(2000)), ideogram);
        assertThat(caption).hasSize(Delivery.CAPTION_LIMIT).endsWith("…");
    }

    @Test
    void aShortFloodWaitIsWaitedOutInPlace() throws Exception {
        telegram.enqueue(error(429, "Too Many Requests: retry after 2", "{\"retry_after\":2}"));
        telegram.enqueue(ok());

        delivery.sendResult(job("a fox"), ideogram, new byte[] {1, 2, 3}, "image/png");

        assertThat(pauses).containsExactly(2000L);
        assertThat(telegram.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aLongFloodWaitGoesBackToTheQueue() {
        telegram.enqueue(error(429, "Too Many Requests: retry after 30", "{\"retry_after\":30}"));

        assertThatThrownBy(() -> delivery.sendResult(job("a fox"), ideogram, new byte[] {1}, "image/png"))
                .isInstanceOfSatisfying(TelegramException.class, e -> assertThat(e.retryAfter()).isEqualTo(30));
        assertThat(pauses).isEmpty();
    }

    @Test
    void aPhotoTelegramRejectsIsSentAsADocument() throws Exception {
        telegram.enqueue(error(400, "Bad Request: PHOTO_INVALID_DIMENSIONS", null));
        telegram.enqueue(ok());

        delivery.sendResult(job("a panorama"), ideogram, new byte[] {1}, "image/png");

        assertThat(telegram.takeRequest().getUrl().encodedPath()).endsWith("/sendPhoto");
        RecordedRequest retry = telegram.takeRequest();
        assertThat(retry.getUrl().encodedPath()).endsWith("/sendDocument");
        assertThat(retry.getBody().string(StandardCharsets.UTF_8)).contains("name=\"document\"; filename=\"9-1-0.png\"");
    }

    @Test
    void aCaptionTelegramFindsTooLongIsShortenedAndThePhotoStillSent() throws Exception {
        telegram.enqueue(error(400, "Bad Request: message caption is too long", null));
        telegram.enqueue(ok());

        delivery.sendResult(job("ж".repeat(1000)), ideogram, new byte[] {1}, "image/png");

        telegram.takeRequest();
        String retry = telegram.takeRequest().getBody().string(StandardCharsets.UTF_8);
        int part = retry.indexOf("\r\n\r\n", retry.indexOf("name=\"caption\"")) + 4;
        String caption = retry.substring(part, retry.indexOf("\r\n--", part));
        assertThat(caption).hasSize(Delivery.SHORT_CAPTION).startsWith("2/4 · Ideogram v3 Turbo\n").endsWith("…");
    }

    @Test
    void aFileOverThePhotoLimitGoesAsADocumentStraightAway() throws Exception {
        telegram.enqueue(ok());

        delivery.sendResult(job("huge"), ideogram, new byte[(int) Delivery.PHOTO_BYTES_LIMIT + 1], "image/png");

        assertThat(telegram.takeRequest().getUrl().encodedPath()).endsWith("/sendDocument");
    }

    @Test
    void aVideoGoesWithSendVideoAGifAsAnAnimationAndAVideoTelegramRejectsAsADocument() throws Exception {
        Model video = Catalog.load().get("seedance");
        telegram.enqueue(ok());
        telegram.enqueue(ok());
        telegram.enqueue(error(400, "Bad Request: wrong video file dimensions", null));
        telegram.enqueue(ok());

        delivery.sendResult(job("waves"), video, new byte[] {1}, "video/mp4");
        delivery.sendResult(job("waves"), video, new byte[] {1}, "image/gif");
        delivery.sendResult(job("waves"), video, new byte[] {1}, "video/mp4");

        RecordedRequest mp4 = telegram.takeRequest();
        assertThat(mp4.getUrl().encodedPath()).endsWith("/sendVideo");
        assertThat(mp4.getBody().string(StandardCharsets.UTF_8)).contains("name=\"video\"; filename=\"9-1-0.mp4\"",
                "2/4 · Seedance 1 Lite");
        assertThat(telegram.takeRequest().getUrl().encodedPath()).endsWith("/sendAnimation");
        assertThat(telegram.takeRequest().getUrl().encodedPath()).endsWith("/sendVideo");
        assertThat(telegram.takeRequest().getUrl().encodedPath()).endsWith("/sendDocument");
    }

    @Test
    void aVideoOverTelegramsUploadLimitIsNotSentAsAVideo() {
        assertThat(Delivery.Media.of("video/mp4", Delivery.UPLOAD_BYTES_LIMIT, false)).isEqualTo(Delivery.Media.VIDEO);
        assertThat(Delivery.Media.of("video/mp4", Delivery.UPLOAD_BYTES_LIMIT + 1, false))
                .isEqualTo(Delivery.Media.DOCUMENT);
        assertThat(Delivery.Media.of("video/mp4", 1, true)).isEqualTo(Delivery.Media.DOCUMENT);
    }

    @Test
    void aGroupThatBecameASupergroupIsFollowed() throws Exception {
        telegram.enqueue(error(400, "Bad Request: group chat was upgraded to a supergroup chat",
                "{\"migrate_to_chat_id\":-1009}"));
        telegram.enqueue(ok());

        delivery.tell(job("a fox"), "explanation");

        telegram.takeRequest();
        assertThat(telegram.takeRequest().getBody().string(StandardCharsets.UTF_8)).contains("\"chat_id\":-1009");
    }

    private static MockResponse ok() {
        return new MockResponse.Builder().code(200)
                .body("{\"ok\":true,\"result\":{\"message_id\":5,\"chat\":{\"id\":1001,\"type\":\"private\"}}}").build();
    }

    private static MockResponse error(int code, String description, String parameters) {
        return new MockResponse.Builder().code(code).body("{\"ok\":false,\"error_code\":" + code + ",\"description\":\""
                + description + "\"" + (parameters == null ? "" : ",\"parameters\":" + parameters) + "}").build();
    }
}
