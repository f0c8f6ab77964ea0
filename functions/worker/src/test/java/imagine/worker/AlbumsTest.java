package imagine.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.StorageKeys;
import imagine.core.testing.TestContext;
import imagine.worker.JobRecord.State;
import imagine.worker.telegram.TelegramException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Album mode: the images of one prompt arrive together as one album when the last is ready, sent exactly once by
 * the image whose record completes the set, without a coordinator; an image that fails is left out.
 */
class AlbumsTest {
    private final WorkerFixture fixture = new WorkerFixture();
    private final Components components = fixture.polling();
    private final JobRun run = components.run();

    AlbumsTest() {
        fixture.routes.put("/sendMediaGroup", request -> WorkerFixture.telegramOk("[" + WorkerFixture.message(96) + ","
                + WorkerFixture.message(97) + "]"));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private List<Job> album(int size) {
        Job first = fixture.job().build();
        return IntStream.range(0, size).mapToObj(v -> first.toBuilder().jobId(first.updateId() + "-0-" + v)
                .position(v + 1, size).albumSize(size).build()).toList();
    }

    @Test
    void theImagesOfAPromptInAlbumModeArriveAsOneAlbumWhenTheLastIsReady() throws Exception {
        List<Job> album = album(3);

        run.run(album.get(1), "m1", () -> 60_000);
        run.run(album.get(0), "m0", () -> 60_000);
        assertThat(fixture.count("/sendMediaGroup")).isZero();
        run.run(album.get(2), "m2", () -> 60_000);

        assertThat(fixture.count("/sendMediaGroup")).isEqualTo(1);
        assertThat(fixture.count("/sendPhoto")).isZero();
        String sent = fixture.body("/sendMediaGroup");
        String media = sent.substring(sent.indexOf("[{\"type\""));
        JsonNode items = Json.MAPPER.readTree(media.substring(0, media.indexOf("\r\n")));
        assertThat(items).hasSize(3).allSatisfy(item -> assertThat(item.get("type").asText()).isEqualTo("photo"));
        assertThat(items.get(0).get("caption").asText()).isEqualTo("Ideogram v3 Turbo\na fox");
        assertThat(items.get(1).has("caption")).isFalse();
        assertThat(items.get(2).get("media").asText()).isEqualTo("attach://file2");
        assertThat(sent).contains("\"message_id\":10").doesNotContain("inline_keyboard");
        assertThat(album).allSatisfy(job -> assertThat(fixture.record(job).state()).isEqualTo(State.DELIVERED));
    }

    @Test
    void twoImagesFinishingAtTheSameMomentSendTheAlbumExactlyOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 8; round++) {
                List<Job> album = album(2);
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<JobRun.Outcome>> runs = album.stream().map(job -> pool.submit(() -> {
                    together.await();
                    return runAsTheQueueWould(job, "m-" + job.jobId());
                })).toList();
                for (Future<JobRun.Outcome> outcome : runs) {
                    assertThat(outcome.get()).isInstanceOf(JobRun.Done.class);
                }
                assertThat(fixture.count("/sendMediaGroup")).as("albums sent after round " + round)
                        .isEqualTo(round + 1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A run that throws or waits comes back, as its message would, up to the redrive limit. */
    private JobRun.Outcome runAsTheQueueWould(Job job, String messageId) throws Exception {
        for (int receive = 1; ; receive++) {
            try {
                JobRun.Outcome outcome = run.run(job, messageId, () -> 60_000);
                if (!(outcome instanceof JobRun.Waits)) {
                    return outcome;
                }
            } catch (IOException | RuntimeException e) {
                if (receive == 5) {
                    throw e;
                }
            }
        }
    }

    @Test
    void aFailedImageIsLeftOutOfTheAlbumWhichSaysNothingAboutIt() throws Exception {
        List<Job> album = album(3);
        Pattern refusedSeed = Pattern.compile("\"seed\":" + ModelInputs.seed(album.get(1)) + "\\b");
        fixture.routes.put("/predictions", request -> request.getMethod().equals("GET")
                ? new MockResponse.Builder().body("{\"next\":null,\"results\":[]}").build()
                : refusedSeed.matcher(request.getBody().string(StandardCharsets.UTF_8)).find()
                ? new MockResponse.Builder().code(422).body("{\"detail\":\"unsupported input\"}").build()
                : fixture.prediction("p1", "processing", null, null));

        for (Job job : album) {
            run.run(job, "m-" + job.jobId(), () -> 60_000);
        }

        assertThat(fixture.count("/sendMediaGroup")).isEqualTo(1);
        assertThat(fixture.body("/sendMediaGroup")).contains("attach://file0", "attach://file1")
                .doesNotContain("attach://file2");
        assertThat(fixture.told()).as("the refusal, told once").hasSize(1);
        assertThat(fixture.record(album.get(1)).state()).isEqualTo(State.ENDED);
    }

    @Test
    void aSenderThatDiesBeforeSendingSendsOnItsRetryAndNeverAgainAfterward() throws Exception {
        List<Job> album = album(2);
        fixture.routes.put("/sendMediaGroup", request -> WorkerFixture.telegramError(502, "Bad Gateway"));
        run.run(album.get(0), "m0", () -> 60_000);
        assertThatThrownBy(() -> run.run(album.get(1), "m1", () -> 60_000)).isInstanceOf(TelegramException.class);

        fixture.routes.put("/sendMediaGroup", request -> WorkerFixture.telegramOk("[" + WorkerFixture.message(96)
                + "]"));
        run.run(album.get(1), "m1", () -> 60_000);
        // The sender's record is put back to before its last write, as if it died after sending the album.
        String key = StorageKeys.job(album.get(1).jobId());
        var sender = fixture.records.read(key).orElseThrow();
        fixture.records.replace(key, sender, sender.value().stored(sender.value().mediaKey(),
                sender.value().mediaType()));
        run.run(album.get(1), "m1", () -> 60_000);
        run.run(album.get(0), "m0", () -> 60_000);

        assertThat(fixture.count("/sendMediaGroup")).as("one refused, one accepted").isEqualTo(2);
    }

    @Test
    void anImageThatUsedUpItsRetriesIsLeftOutByTheDeadLetterFunctionAndTheRestIsSent() throws Exception {
        List<Job> album = album(2);
        run.run(album.get(0), "m0", () -> 60_000);

        new DeadLetterHandler(components).handleRequest(WorkerFixture.event(Map.of("m1", album.get(1))),
                new TestContext());

        assertThat(fixture.told()).singleElement().asString().contains("a fox");
        assertThat(fixture.count("/sendMediaGroup")).isZero();
        assertThat(fixture.count("/sendPhoto")).as("the one image made, alone").isEqualTo(1);
        assertThat(fixture.body("/sendPhoto")).contains("Ideogram v3 Turbo\na fox", "png-bytes")
                .doesNotContain("inline_keyboard");
    }
}
