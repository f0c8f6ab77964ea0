package imagine.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A seed the user chose reaches the model as it is and is said in the caption and the original's file name; an upscale
 * gives the upscaler a short-lived link to the job's own copy of the result and sends the larger picture as a file.
 */
class SeedsAndUpscalesTest {
    private final WorkerFixture fixture = new WorkerFixture();
    private final JobRun run = fixture.polling().run();

    @AfterEach
    void stop() {
        fixture.close();
    }

    private JsonNode created(int index) throws Exception {
        RecordedRequest create = fixture.requests.stream().filter(r -> r.getMethod().equals("POST")
                && r.getUrl().encodedPath().endsWith("/predictions")).toList().get(index);
        return Json.MAPPER.readTree(create.getBody().string(StandardCharsets.UTF_8));
    }

    @Test
    void theSeedsAUserChoseReachTheModelAndTheCaptionsSayThem() throws Exception {
        Job first = fixture.job().prompt("a kite").seed(7L).position(1, 2).build();
        Job second = first.toBuilder().jobId(first.updateId() + "-0-1").seed(8L).position(2, 2).build();

        run.run(first, "m1", () -> 60_000);
        run.run(second, "m2", () -> 60_000);

        assertThat(created(0).at("/input/seed").asLong()).isEqualTo(7);
        assertThat(created(1).at("/input/seed").asLong()).isEqualTo(8);
        assertThat(fixture.requests).filteredOn(r -> r.getUrl().encodedPath().endsWith("/sendPhoto"))
                .extracting(r -> r.getBody().string(StandardCharsets.UTF_8))
                .satisfiesExactly(photo -> assertThat(photo).contains("1/2 · Ideogram v3 Turbo · seed 7\na kite"),
                        photo -> assertThat(photo).contains("2/2 · Ideogram v3 Turbo · seed 8\na kite"));
    }

    @Test
    void aSeedTheUserDidNotChooseIsDerivedAndLeftOutOfTheCaption() throws Exception {
        Job job = fixture.job().prompt("a kite").build();

        run.run(job, "m1", () -> 60_000);

        assertThat(created(0).at("/input/seed").asLong()).isEqualTo(ModelInputs.seed(job))
                .isGreaterThan(Job.MAX_CHOSEN_SEED);
        assertThat(fixture.body("/sendPhoto")).contains("1/1 · Ideogram v3 Turbo\na kite").doesNotContain("seed");
    }

    @Test
    void theOriginalsFileNameSaysTheSeedItWasMadeWith() throws Exception {
        Job result = fixture.job().build();
        String key = StorageKeys.media(result.userId(), result.jobId(), ".png");
        fixture.media.put(key, "original".getBytes(StandardCharsets.UTF_8), "image/png");
        Job task = result.toBuilder().jobId(Job.fullSizeIdFor(result.jobId())).task(Task.FULL_SIZE).asFile(true)
                .mediaKey(key).seed(1_234_567_890L).build();

        run.run(task, "m1", () -> 60_000);

        assertThat(fixture.body("/sendDocument"))
                .contains("filename=\"" + task.jobId() + "-seed-1234567890.png\"", "original");
    }

    @Test
    void anUpscaleEnlargesTheJobsOwnCopyOfTheResultAndSendsItAsAFileWithoutButtons() throws Exception {
        Job job = fixture.job().model("crisp").aspectRatio(null).asFile(true).build();
        String still = StorageKeys.media(job.userId(), "500-0-0", ".png");
        fixture.media.put(still, "still-png-bytes".getBytes(StandardCharsets.UTF_8), "image/png");
        job = job.toBuilder().mediaKey(still).build();

        run.run(job, "m1", () -> 60_000);

        assertThat(fixture.find("/predictions").getUrl().encodedPath())
                .isEqualTo("/v1/models/recraft-ai/recraft-crisp-upscale/predictions");
        JsonNode input = created(0).get("input");
        assertThat(input.size()).as("the picture alone: no prompt, ratio or seed").isEqualTo(1);
        String link = input.get("image").asText();
        assertThat(link).contains("/" + StorageKeys.input(job.userId(), job.jobId()), "X-Amz-Expires=900");
        HttpResponse<String> fetched = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(link))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(fetched.body()).isEqualTo("still-png-bytes");
        assertThat(fixture.count("/sendPhoto")).isZero();
        assertThat(fixture.body("/sendDocument")).contains("png-bytes", "1/1 · Recraft Crisp Upscale\na fox")
                .doesNotContain("inline_keyboard");
        assertThat(fixture.media.find(StorageKeys.result(job.userId(), job.jobId()))).as("nothing to tap under it")
                .isEmpty();
        assertThat(fixture.record(job).state()).isEqualTo(State.DELIVERED);
    }

    @Test
    void anUpscaleTheModelRefusesIsExplainedAsAnUpscaleAndNotCounted() throws Exception {
        Job job = fixture.job().model("crisp").aspectRatio(null).asFile(true).build();
        String still = StorageKeys.media(job.userId(), "500-0-0", ".png");
        fixture.media.put(still, "still-png-bytes".getBytes(StandardCharsets.UTF_8), "image/png");
        job = fixture.counted(job.toBuilder().mediaKey(still).build());
        fixture.routes.put("/predictions/p1", request -> fixture.prediction("p1", "failed", null,
                "image is too large to upscale"));

        run.run(job, "m1", () -> 60_000);

        assertThat(fixture.told()).containsExactly("I could not upscale the picture (\"a fox\"): the model refused. It"
                + " did not accept the input: image is too large to upscale");
        assertThat(fixture.ledger.used(job.userId())).isEqualTo(Units.NONE);
    }
}
