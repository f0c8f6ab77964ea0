package imagine.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import imagine.core.BlockedTerms;
import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.StorageKeys;
import imagine.core.testing.LocalBucket;
import imagine.worker.JobRecord.State;
import imagine.worker.replicate.ReplicateClient;
import imagine.worker.replicate.ReplicateException;
import imagine.worker.telegram.TelegramClient;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Never pay twice, never deliver another job's picture: a prediction a run made but could not record (its create
 * call's answer was lost) is found again in the account's list, however far back it has fallen, by what only the job's
 * input has, and adopted only when it cannot be another job's.
 */
class OrphanPredictionsTest {
    private final WorkerFixture fixture = new WorkerFixture();
    private final JobRun run = fixture.polling().run();

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** A record left by a run that died in its create call, whose lease has run out. */
    private void diedCreating(Job job) {
        long then = fixture.clock.millis();
        fixture.records.create(StorageKeys.job(job.jobId()),
                JobRecord.claimed("m1", "dead-run", then, then + 30_000, job).creatingSince(then));
        fixture.clock.advance(Duration.ofMinutes(1));
    }

    private String listed(String id, String status, String input, Instant created) {
        return "{\"id\":\"" + id + "\",\"model\":\"replicate-internal/some-deployment\",\"status\":\"" + status
                + "\",\"created_at\":\"" + created + "\",\"input\":" + input + ",\"data_removed\":false}";
    }

    private static String ideogramInput(Job job) {
        return "{\"magic_prompt_option\":\"Auto\",\"prompt\":\"" + job.prompt() + "\",\"aspect_ratio\":\"1:1\",\"seed\":"
                + ModelInputs.seed(job) + "}";
    }

    /** The list as Replicate pages it: 100 a page, newest first, each page naming the next. */
    private void replicateLists(List<String> newestFirst) {
        fixture.routes.put("/predictions", request -> {
            if (request.getMethod().equals("POST")) {
                return fixture.prediction("p1", "processing", null, null);
            }
            String cursor = request.getUrl().queryParameter("cursor");
            int from = cursor == null ? 0 : Integer.parseInt(cursor);
            int to = Math.min(newestFirst.size(), from + 100);
            String next = to < newestFirst.size() ? "\"" + fixture.url("/v1/predictions?cursor=" + to) + "\"" : "null";
            return new MockResponse.Builder().body("{\"results\":[" + String.join(",", newestFirst.subList(from, to))
                    + "],\"next\":" + next + "}").build();
        });
    }

    @Test
    void anOrphanThatFellOffTheFirstPageUnderLoadIsFoundAndNotPaidTwice() throws Exception {
        Job job = fixture.job().build();
        Instant createdAt = fixture.clock.instant();
        diedCreating(job);
        List<String> predictions = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            Job other = fixture.job().build();
            predictions.add(listed("other" + i, "succeeded", ideogramInput(other), createdAt.plusSeconds(30)));
        }
        predictions.add(listed("p1", "processing", ideogramInput(job), createdAt.plusMillis(200)));
        replicateLists(predictions);

        run.run(job, "m1", () -> 60_000);

        assertThat(fixture.creates()).isZero();
        assertThat(fixture.record(job).predictionId()).isEqualTo("p1");
        assertThat(fixture.count("/sendPhoto")).isEqualTo(1);
        assertThat(fixture.requests).filteredOn(r -> r.getMethod().equals("GET")
                && r.getUrl().encodedPath().equals("/v1/predictions")).hasSize(2);
    }

    @Test
    void twoJobsWithTheSameInputForAModelWithoutSeedNeverAdoptEachOthersPrediction() throws Exception {
        Job mine = fixture.job().model("imagen").prompt("a lighthouse").build();
        Job sibling = mine.toBuilder().jobId(mine.updateId() + "-0-1").build();
        Instant createdAt = fixture.clock.instant();
        diedCreating(mine);
        String sameInput = "{\"output_format\":\"png\",\"safety_filter_level\":\"block_only_high\","
                + "\"prompt\":\"a lighthouse\",\"aspect_ratio\":\"1:1\"}";
        replicateLists(List.of(listed("sibling", "processing", sameInput, createdAt.plusMillis(300)),
                listed("orphan", "processing", sameInput, createdAt.plusMillis(200))));

        run.run(mine, "m1", () -> 60_000);

        assertThat(fixture.creates()).as("neither can be told as the job's: a new one").isEqualTo(1);
        assertThat(fixture.record(mine).predictionId()).isEqualTo("p1");
        assertThat(sibling.jobId()).isNotEqualTo(mine.jobId());
    }

    @Test
    void twoJobsOfTheSameChosenSeedNeverAdoptEachOthersPrediction() throws Exception {
        Job mine = fixture.job().prompt("a lighthouse").seed(7L).build();
        Job again = mine.toBuilder().jobId((mine.updateId() + 1) + "-ag").build();
        Instant createdAt = fixture.clock.instant();
        diedCreating(mine);
        assertThat(ideogramInput(again)).as("🔁 Again on a chosen seed asks for the same input")
                .isEqualTo(ideogramInput(mine));
        replicateLists(List.of(listed("again", "processing", ideogramInput(again), createdAt.plusMillis(300)),
                listed("orphan", "processing", ideogramInput(mine), createdAt.plusMillis(200))));

        run.run(mine, "m1", () -> 60_000);

        assertThat(fixture.creates()).as("neither can be told as the job's: a new one").isEqualTo(1);
        assertThat(fixture.record(mine).predictionId()).isEqualTo("p1");
        assertThat(fixture.requests).as("the other job's prediction is left alone")
                .noneMatch(r -> r.getUrl().encodedPath().endsWith("/again/cancel"));
    }

    @Test
    void theOnlyPredictionOfAChosenSeedsInputIsAdopted() throws Exception {
        Job mine = fixture.job().prompt("a lighthouse").seed(7L).build();
        Instant createdAt = fixture.clock.instant();
        diedCreating(mine);
        replicateLists(List.of(listed("p1", "processing", ideogramInput(mine), createdAt.plusMillis(200))));

        run.run(mine, "m1", () -> 60_000);

        assertThat(fixture.creates()).isZero();
        assertThat(fixture.record(mine).predictionId()).isEqualTo("p1");
    }

    @Test
    void aDerivedSeedNamesItsJobAndAChosenOneNeverLooksLikeIt() {
        Job derived = fixture.job().build();
        Job chosen = derived.toBuilder().seed(ModelInputs.seed(derived) % (Job.MAX_CHOSEN_SEED + 1)).build();
        Catalog catalog = Catalog.load();

        assertThat(ModelInputs.identifiesJob(derived, catalog.get("ideogram"))).isTrue();
        assertThat(ModelInputs.identifiesJob(chosen, catalog.get("ideogram"))).isFalse();
        assertThat(ModelInputs.identifiesJob(chosen.toBuilder().model("kontext").photoFileId("photo").build(),
                catalog.get("kontext"))).as("its own copy of the photo still names it").isTrue();
        for (int update = 0; update < 20_000; update++) {
            long seed = ModelInputs.seed(derived.toBuilder().jobId(Job.idFor(update, update % 10, update % 4)).build());
            assertThat(seed).isGreaterThan(Job.MAX_CHOSEN_SEED).isLessThanOrEqualTo(Integer.MAX_VALUE);
        }
        assertThat(ModelInputs.seed(chosen)).isEqualTo(chosen.seed()).isLessThanOrEqualTo(Job.MAX_CHOSEN_SEED);
    }

    @Test
    void aVideoAnimatedTwiceFromOneResultFindsOnlyItsOwnPredictionByItsOwnCopyOfTheImage() throws Exception {
        Job first = fixture.job().model("kling").aspectRatio(null).prompt("the waves start to move")
                .mediaKey("media/1/500-0-0.png").build();
        Job second = first.toBuilder().jobId((first.updateId() + 1) + "-an").build();
        first = first.toBuilder().jobId(first.updateId() + "-an").build();
        fixture.media.put("media/1/500-0-0.png", "png".getBytes(), "image/png");
        Instant createdAt = fixture.clock.instant();
        diedCreating(first);
        String bucket = fixture.media.link(StorageKeys.input(first.userId(), "x")).replaceAll("/inputs/.*", "");
        replicateLists(List.of(
                listed("the-other-tap", "processing", klingInput(bucket, second), createdAt.plusMillis(300)),
                listed("mine", "processing", klingInput(bucket, first), createdAt.plusMillis(200))));
        fixture.routes.put("/predictions/mine", request -> fixture.prediction("mine", "succeeded",
                fixture.url("/out/p1.png"), null));

        run.run(first, "m1", () -> 60_000);

        assertThat(fixture.creates()).isZero();
        assertThat(fixture.record(first).predictionId()).isEqualTo("mine");
    }

    private static String klingInput(String bucketUrl, Job job) {
        return "{\"mode\":\"standard\",\"duration\":5,\"prompt\":\"" + job.prompt() + "\",\"start_image\":\""
                + bucketUrl + "/" + StorageKeys.input(job.userId(), job.jobId())
                + "?X-Amz-Signature=signed-by-an-earlier-run\"}";
    }

    @Test
    void aServerErrorOnCreateMayHaveCreatedOneSoTheNextAttemptLooksBeforeCreating() throws Exception {
        Job job = fixture.job().build();
        fixture.routes.put("/predictions", request -> request.getMethod().equals("POST")
                ? new MockResponse.Builder().code(502).body("{\"detail\":\"Bad Gateway\"}").build()
                : new MockResponse.Builder().body("{\"results\":[" + listed("p1", "processing", ideogramInput(job),
                        fixture.clock.instant()) + "],\"next\":null}").build());

        assertThatThrownBy(() -> run.run(job, "m1", () -> 60_000)).isInstanceOf(ReplicateException.class);
        assertThat(fixture.record(job).createStartedAt()).isNotNull();
        assertThat(fixture.record(job).attempt()).as("released for the next attempt").isNull();
        run.run(job, "m1", () -> 60_000);

        assertThat(fixture.creates()).as("the edge's 502 hid a prediction, which is adopted").isEqualTo(1);
        assertThat(fixture.record(job).state()).isEqualTo(State.DELIVERED);
    }

    @Test
    void aCreateWhoseAnswerTimesOutIsAFailureAndTheNextAttemptAdoptsThePredictionItMade() throws Exception {
        Job job = fixture.job().build();
        String made = listed("p1", "processing", ideogramInput(job), fixture.clock.instant());
        fixture.routes.put("/predictions", request -> request.getMethod().equals("GET")
                ? new MockResponse.Builder().body("{\"results\":[" + made + "]}").build()
                : new MockResponse.Builder().code(201).headersDelay(2, TimeUnit.SECONDS).body(made).build());
        OkHttpClient impatient = new OkHttpClient.Builder().readTimeout(Duration.ofMillis(300)).build();
        JobRun first = Components.assemble(new Components.Outside(impatient,
                new TelegramClient(impatient, fixture.url("/telegram"), WorkerFixture.TELEGRAM_TOKEN),
                new ReplicateClient(impatient, fixture.url("/"), "test-replicate-token"),
                WorkerFixture.bucket().client(), LocalBucket.NAME, fixture.queue,
                TelegramSendSlots.DEFAULT_PER_SECOND, fixture.clock, millis -> { }, WorkerTimings.DEFAULTS, null,
                BlockedTerms.NONE, 1)).run();

        Throwable timedOut = catchThrowable(() -> first.run(job, "m1", () -> 60_000));
        assertThat(timedOut).isInstanceOf(InterruptedIOException.class);
        assertThat(new Failures(1).verdict(timedOut, 1, 0)).isInstanceOf(Verdict.Retry.class);
        assertThat(fixture.record(job).state()).as("kept claimed: a prediction may exist").isEqualTo(State.CLAIMED);

        run.run(job, "m1", () -> 60_000);

        assertThat(fixture.creates()).as("one create, whose answer was lost").isEqualTo(1);
        assertThat(fixture.record(job).predictionId()).isEqualTo("p1");
        assertThat(fixture.count("/sendPhoto")).isEqualTo(1);
    }

    @Test
    void aCreateTheModelRefusesMadeNothingAndEndsTheJobOnceWithoutLookingForOrphans() throws Exception {
        Job job = fixture.job().build();
        fixture.routes.put("/predictions", request -> new MockResponse.Builder().code(422)
                .body("{\"detail\":\"prompt is too long\",\"status\":422}").build());

        run.run(job, "m1", () -> 60_000);
        run.run(job, "m1", () -> 60_000);

        assertThat(fixture.told()).singleElement().asString()
                .contains("the model refused. It did not accept the input: prompt is too long");
        assertThat(fixture.requests).filteredOn(r -> r.getMethod().equals("GET")).isEmpty();
        assertThat(fixture.record(job).state()).isEqualTo(State.ENDED);
    }
}
