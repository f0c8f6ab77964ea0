package imagine.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import imagine.core.DeliveredResult;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.StorageKeys;
import imagine.core.Task;
import imagine.core.usage.Units;
import imagine.worker.JobRecord.State;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a finished result becomes in the chat: a photo with its buttons, a video, a link when Telegram would take no
 * file; and what the buttons make of it: the original as a document, a video from the stored image. A result Telegram
 * will not take reaches the user as an explanation and gives the unit back; a chat that is gone ends it quietly.
 */
class ResultsTest {
    private final WorkerFixture fixture = new WorkerFixture();
    private final JobRun run = fixture.polling().run();

    @AfterEach
    void stop() {
        fixture.close();
    }

    private void videoOutput() {
        fixture.routes.put("/predictions/p1", request -> fixture.prediction("p1", "succeeded",
                fixture.url("/out/p1.mp4"), null));
        fixture.routes.put("/out/p1.mp4", request -> new MockResponse.Builder().addHeader("Content-Type", "video/mp4")
                .body("mp4-bytes").build());
    }

    @Test
    void aResultComesWithAgainFullSizeAnimateAndUpscaleButtonsAndARecordOfWhatItWasMadeFrom() throws Exception {
        Job job = fixture.job().build();

        run.run(job, "m1", () -> 60_000);

        String sent = fixture.body("/sendPhoto");
        String markup = sent.substring(sent.indexOf("{\"inline_keyboard\""));
        String owner = Long.toString(job.userId());
        JsonNode rows = Json.MAPPER.readTree(markup.substring(0, markup.indexOf("\r\n"))).get("inline_keyboard");
        assertThat(rows.get(0))
                .extracting(button -> button.get("text").asText() + " " + button.get("callback_data").asText())
                .containsExactly("🔁 Again " + owner + ":ag:" + job.jobId(), "🖼 Full size " + owner + ":fs:"
                        + job.jobId(), "🎬 Animate " + owner + ":an:" + job.jobId());
        assertThat(rows.get(1))
                .extracting(button -> button.get("text").asText() + " " + button.get("callback_data").asText())
                .containsExactly("🔍 Upscale " + owner + ":up:" + job.jobId());
        DeliveredResult result = Json.MAPPER.readValue(fixture.media.find(StorageKeys.result(job.userId(),
                job.jobId())).orElseThrow().bytes(), DeliveredResult.class);
        assertThat(result).isEqualTo(new DeliveredResult(job, StorageKeys.media(job.userId(), job.jobId(), ".png"),
                "image/png", ModelInputs.seed(job)));
    }

    @Test
    void aVideoIsShownAsBeingRecordedSentAsAVideoWithoutAnAnimateButton() throws Exception {
        videoOutput();
        Job english = fixture.job().model("seedance").aspectRatio("16:9").prompt("волны").build();
        Job job = english.toBuilder().user(english.userId(), "ru").build();

        run.run(job, "m1", () -> 60_000);

        assertThat(fixture.body("/sendChatAction")).contains("upload_video");
        assertThat(fixture.find("/predictions").getUrl().encodedPath())
                .isEqualTo("/v1/models/bytedance/seedance-1-lite/predictions");
        assertThat(fixture.body("/sendVideo")).contains("mp4-bytes", "1/1 · Seedance 1 Lite", "🔁 Ещё раз",
                "🖼 Полный размер").doesNotContain("🎬", ":an:");
    }

    @Test
    void aJobAsFileIsSentAsADocument() throws Exception {
        run.run(fixture.job().asFile(true).build(), "m1", () -> 60_000);

        assertThat(fixture.count("/sendPhoto")).isZero();
        assertThat(fixture.body("/sendDocument")).contains("png-bytes", "1/1");
    }

    @Test
    void anOutputTooLargeForTelegramIsSentAsALinkThatWorksForMinutes() throws Exception {
        Job job = fixture.job().model("seedance").aspectRatio("16:9").build();
        byte[] video = new byte[(int) Delivery.UPLOAD_BYTES_LIMIT + 1];
        video[video.length - 1] = 7;
        fixture.routes.put("/predictions/p1", request -> fixture.prediction("p1", "succeeded",
                fixture.url("/out/p1.mp4"), null));
        fixture.routes.put("/out/p1.mp4", request -> new MockResponse.Builder().addHeader("Content-Type", "video/mp4")
                .body(new okio.Buffer().write(video)).build());

        run.run(job, "m1", () -> 60_000);

        assertThat(fixture.count("/sendVideo") + fixture.count("/sendDocument")).as("no upload Telegram would refuse")
                .isZero();
        String text = fixture.told().get(0);
        assertThat(text).startsWith("1/1 · Seedance 1 Lite\na fox\n").contains("51 MB", "within 15 minutes");
        URI link = URI.create(text.substring(text.lastIndexOf('\n') + 1));
        assertThat(link.getQuery()).contains("X-Amz-Expires=900");
        HttpResponse<byte[]> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(link).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).hasSize(video.length).endsWith((byte) 7);
        assertThat(MediaStore.LINK_LIFETIME).isLessThanOrEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void aPaidResultTelegramTakesInNoFormIsExplainedAndItsUnitGoesBack() throws Exception {
        Job job = fixture.counted(fixture.job().build());
        fixture.routes.put("/sendPhoto", request -> WorkerFixture.telegramError(400,
                "Bad Request: message thread not found"));

        run.run(job, "m1", () -> 60_000);

        assertThat(fixture.told()).singleElement().asString().isEqualTo("I made image 1/1 (\"a fox\"), but Telegram"
                + " would not take it here: Bad Request: message thread not found. It does not count against your day.");
        assertThat(fixture.ledger.used(job.userId())).isEqualTo(Units.NONE);
        assertThat(fixture.record(job).ending()).isEqualTo(Ending.Reason.UNDELIVERABLE);
    }

    @Test
    void aGroupWhereTheBotMayNotPostPicturesGetsTheResultAsADocument() throws Exception {
        Job job = fixture.job().build();
        fixture.routes.put("/sendPhoto", request -> WorkerFixture.telegramError(400,
                "Bad Request: not enough rights to send photos to the chat"));

        run.run(job, "m1", () -> 60_000);

        assertThat(fixture.body("/sendDocument")).contains("png-bytes");
        assertThat(fixture.record(job).state()).isEqualTo(State.DELIVERED);
    }

    @Test
    void aUserWhoBlockedTheBotEndsTheJobQuietlyWithTheUnitBack() throws Exception {
        Job job = fixture.counted(fixture.job().build());
        fixture.routes.put("/sendPhoto", request -> WorkerFixture.telegramError(403,
                "Forbidden: bot was blocked by the user"));

        assertThat(run.run(job, "m1", () -> 60_000)).isInstanceOf(JobRun.Done.class);

        assertThat(fixture.count("/sendMessage")).isZero();
        assertThat(fixture.ledger.used(job.userId())).isEqualTo(Units.NONE);
        assertThat(fixture.record(job).ending()).isEqualTo(Ending.Reason.CHAT_UNREACHABLE);
    }

    @Test
    void aFullSizeTaskSendsTheStoredOriginalAsADocumentReplyingToTheResultOnce() throws Exception {
        Job result = fixture.job().build();
        String key = StorageKeys.media(result.userId(), "orig-1", ".png");
        fixture.media.put(key, "original-png-bytes".getBytes(StandardCharsets.UTF_8), "image/png");
        Job task = result.toBuilder().jobId(result.updateId() + "-fs").replyingTo(result.chatId(), 90)
                .task(Task.FULL_SIZE).asFile(true).mediaKey(key).build();

        assertThat(run.run(task, "m1", () -> 60_000)).isInstanceOf(JobRun.Done.class);
        assertThat(run.run(task, "m2", () -> 60_000)).isInstanceOf(JobRun.Duplicate.class);
        assertThat(run.run(task, "m1", () -> 60_000)).isInstanceOf(JobRun.Done.class);

        assertThat(fixture.count("/sendDocument")).isEqualTo(1);
        assertThat(fixture.count("/predictions")).isZero();
        assertThat(fixture.body("/sendDocument")).contains("original-png-bytes", "filename=\"" + task.jobId()
                + ".png\"", "\"message_id\":90").doesNotContain("inline_keyboard");
    }

    @Test
    void aFullSizeTaskForAnExpiredResultSaysSoInsteadOfFailing() throws Exception {
        Job task = fixture.job().task(Task.FULL_SIZE).asFile(true).mediaKey("media/1/long-gone.png").build();

        assertThat(run.run(task, "m1", () -> 60_000)).isInstanceOf(JobRun.Done.class);

        assertThat(fixture.count("/sendDocument")).isZero();
        assertThat(fixture.told()).singleElement().asString().contains("no longer kept");
    }

    @Test
    void animatingAResultGivesTheVideoModelAShortLivedLinkToTheJobsOwnCopyOfTheImage() throws Exception {
        videoOutput();
        Job job = fixture.job().model("kling").aspectRatio(null).build();
        String still = StorageKeys.media(job.userId(), "500-0-0", ".png");
        fixture.media.put(still, "still-png-bytes".getBytes(StandardCharsets.UTF_8), "image/png");
        job = job.toBuilder().mediaKey(still).build();

        run.run(job, "m1", () -> 60_000);

        assertThat(fixture.find("/predictions").getUrl().encodedPath())
                .isEqualTo("/v1/models/kwaivgi/kling-v2.1/predictions");
        String link = Json.MAPPER.readTree(fixture.body("/predictions")).at("/input/start_image").asText();
        assertThat(link).contains("/" + StorageKeys.input(job.userId(), job.jobId()), "X-Amz-Expires=900");
        HttpResponse<String> fetched = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(link))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(fetched.body()).isEqualTo("still-png-bytes");
        assertThat(fixture.count("/getFile")).isZero();
        assertThat(fixture.count("/sendVideo")).isEqualTo(1);
    }

    @Test
    void aPhotoEditGivesTheModelAShortLivedS3LinkToThePhotoNeverTelegramsAddress() throws Exception {
        Job edit = fixture.job().model("kontext").aspectRatio("match_input_image").prompt("make it blue")
                .photoFileId("photo-1").build();
        fixture.routes.put("/getFile", request -> WorkerFixture.telegramOk(
                "{\"file_id\":\"photo-1\",\"file_size\":10,\"file_path\":\"photos/file_1.jpg\"}"));
        fixture.routes.put("/photos/file_1.jpg", request -> new MockResponse.Builder().body("jpeg-bytes").build());

        run.run(edit, "m1", () -> 60_000);
        run.run(edit, "m1", () -> 60_000);

        String link = Json.MAPPER.readTree(fixture.body("/predictions")).at("/input/input_image").asText();
        assertThat(link).contains("/" + StorageKeys.input(edit.userId(), edit.jobId()), "X-Amz-Expires=900")
                .doesNotContain(WorkerFixture.TELEGRAM_TOKEN, "photos/file_1.jpg");
        assertThat(fixture.count("/photos/file_1.jpg")).as("fetched once").isEqualTo(1);
        assertThat(fixture.find("/photos/file_1.jpg").getUrl().encodedPath())
                .isEqualTo("/telegram/file/bot" + WorkerFixture.TELEGRAM_TOKEN + "/photos/file_1.jpg");
    }

    @Test
    void aPhotoTelegramNoLongerHasEndsTheJobWithAnExplanationAndNoPrediction() throws Exception {
        Job edit = fixture.job().model("kontext").aspectRatio("match_input_image").prompt("make it blue")
                .photoFileId("gone").build();
        fixture.routes.put("/getFile", request -> WorkerFixture.telegramError(400, "Bad Request: invalid file_id"));

        run.run(edit, "m1", () -> 60_000);

        assertThat(fixture.creates()).isZero();
        assertThat(fixture.told()).singleElement().asString().contains("I could not fetch your photo from Telegram");
    }
}
