package imagine.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.testing.TestContext;
import imagine.core.usage.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code /compare} album: each image model's picture, in the catalog's order whatever order they finish in, each
 * captioned with its model (and the ratio it was drawn in when it does not take the one asked for, and the seed the
 * user chose); a model that refuses is left out, with one message that names it and says why.
 */
class ComparisonAlbumsTest {
    private static final List<String> MODELS = List.of("ideogram", "seedream", "imagen");

    private final WorkerFixture fixture = new WorkerFixture();
    private final JobRun run = fixture.polling().run();

    ComparisonAlbumsTest() {
        fixture.routes.put("/sendMediaGroup", request -> WorkerFixture.telegramOk("[" + WorkerFixture.message(96) + ","
                + WorkerFixture.message(97) + "]"));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** The jobs the webhook makes of {@code /compare a lighthouse}. */
    private List<Job> comparison(String asked, Long seed) {
        Job first = fixture.job().prompt("a lighthouse").build();
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < MODELS.size(); i++) {
            boolean nearest = asked != null && !MODELS.get(i).equals("seedream");
            jobs.add(first.toBuilder().jobId(first.updateId() + "-0-" + i).model(MODELS.get(i))
                    .aspectRatio(nearest ? "16:9" : asked).comparison(true, nearest ? asked : null)
                    .seed(MODELS.get(i).equals("imagen") ? null : seed).position(i + 1, 3).albumSize(3).build());
        }
        return jobs;
    }

    private List<String> captions() throws Exception {
        String sent = fixture.body("/sendMediaGroup");
        String media = sent.substring(sent.indexOf("[{\"type\""));
        List<String> captions = new ArrayList<>();
        for (JsonNode item : Json.MAPPER.readTree(media.substring(0, media.indexOf("\r\n")))) {
            captions.add(item.has("caption") ? item.get("caption").asText() : null);
        }
        return captions;
    }

    @Test
    void everyModelsPictureIsCaptionedWithItsModelInTheCatalogsOrder() throws Exception {
        List<Job> jobs = comparison(null, null);

        run.run(jobs.get(2), "m2", () -> 60_000);
        run.run(jobs.get(0), "m0", () -> 60_000);
        assertThat(fixture.count("/sendMediaGroup")).isZero();
        run.run(jobs.get(1), "m1", () -> 60_000);

        assertThat(fixture.count("/sendMediaGroup")).isEqualTo(1);
        assertThat(captions()).containsExactly("Ideogram v3 Turbo\na lighthouse", "Seedream 3", "Imagen 4 Ultra");
        assertThat(fixture.told()).isEmpty();
    }

    @Test
    void aCaptionSaysTheRatioAModelGotInsteadOfTheOneAskedForAndTheSeedTheUserChose() throws Exception {
        List<Job> jobs = comparison("21:9", 42L);

        for (Job job : jobs) {
            run.run(job, "m-" + job.jobId(), () -> 60_000);
        }

        assertThat(captions()).containsExactly("Ideogram v3 Turbo · 16:9 instead of 21:9 · seed 42\na lighthouse",
                "Seedream 3 · seed 42", "Imagen 4 Ultra · 16:9 instead of 21:9");
    }

    @Test
    void aModelThatRefusesIsLeftOutWithOneMessageNamingItAndItsUnitGoesBack() throws Exception {
        List<Job> jobs = comparison(null, null);
        fixture.ledger.take(jobs.get(0).userId(), "u" + jobs.get(0).updateId(), new Units(3, 0), Units.NONE);
        fixture.routes.put("/seedream-3/predictions", request -> fixture.prediction("p2", "processing", null, null));
        fixture.routes.put("/predictions/p2", request -> fixture.prediction("p2", "failed", null,
                "NSFW content detected. Try running it again, or try a different prompt."));

        for (Job job : jobs) {
            run.run(job, "m-" + job.jobId(), () -> 60_000);
        }

        assertThat(fixture.told()).containsExactly("Seedream 3 is left out of the comparison for \"a lighthouse\": the"
                + " model refused. It flagged the prompt or the picture as unsafe; try wording it differently.");
        assertThat(fixture.count("/sendMediaGroup")).isEqualTo(1);
        assertThat(captions()).containsExactly("Ideogram v3 Turbo\na lighthouse", "Imagen 4 Ultra");
        assertThat(fixture.ledger.used(jobs.get(0).userId())).isEqualTo(new Units(2, 0));
    }

    @Test
    void aModelThatUsedUpItsRetriesIsLeftOutByTheDeadLetterFunctionWithALineNamingIt() throws Exception {
        List<Job> jobs = comparison(null, null);
        run.run(jobs.get(0), "m0", () -> 60_000);
        run.run(jobs.get(2), "m2", () -> 60_000);

        new DeadLetterHandler(fixture.polling()).handleRequest(WorkerFixture.event(Map.of("m1", jobs.get(1))),
                new TestContext());

        assertThat(fixture.told()).containsExactly("Seedream 3 is left out of the comparison for \"a lighthouse\": the"
                + " model or Telegram kept failing.");
        assertThat(captions()).containsExactly("Ideogram v3 Turbo\na lighthouse", "Imagen 4 Ultra");
    }

    @Test
    void whenOnlyOneModelMadeItsPictureItComesAloneCaptionedWithItsModel() throws Exception {
        List<Job> jobs = comparison(null, null);
        fixture.routes.put("/ideogram-v3-turbo/predictions", request -> fixture.prediction("p2", "processing", null,
                null));
        fixture.routes.put("/seedream-3/predictions", request -> fixture.prediction("p2", "processing", null, null));
        fixture.routes.put("/predictions/p2", request -> fixture.prediction("p2", "failed", null, "model crashed"));

        for (Job job : jobs) {
            run.run(job, "m-" + job.jobId(), () -> 60_000);
        }

        assertThat(fixture.count("/sendMediaGroup")).isZero();
        assertThat(fixture.body("/sendPhoto")).contains("Imagen 4 Ultra\na lighthouse").doesNotContain("inline_keyboard");
        assertThat(fixture.told()).hasSize(2).allSatisfy(told -> assertThat(told).contains("left out of the comparison"));
    }
}
