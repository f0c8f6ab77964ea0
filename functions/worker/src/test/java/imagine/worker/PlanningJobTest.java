package imagine.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.StorageKeys;
import imagine.core.Task;
import imagine.core.testing.TestContext;
import imagine.core.usage.Units;
import imagine.worker.JobRecord.State;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A planning job ({@code /idea}, {@code /write}) through its record: one text prediction whatever the redeliveries,
 * the images enqueued once, blocked prompts skipped and told, refusals explained.
 */
class PlanningJobTest {
    private static final String TEXT_MODEL_PATH = "/v1/models/meta/meta-llama-3-8b-instruct/predictions";
    private final WorkerFixture fixture = new WorkerFixture();
    private final Components components = fixture.polling();
    private final JobRun run = components.run();

    PlanningJobTest() {
        fixture.routes.put("/predictions", request -> request.getMethod().equals("GET")
                ? new MockResponse.Builder().body("{\"results\":[]}").build()
                : textPrediction("t1", "processing", null, null));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private Job idea(String language, String idea, int count) {
        Job job = fixture.job().build();
        return job.toBuilder().jobId(job.updateId() + "-idea").user(job.userId(), language).prompt(idea)
                .model("seedream").aspectRatio("16:9").position(1, count).task(Task.IDEA).build();
    }

    private Job write(String request) {
        Job job = fixture.job().build();
        return job.toBuilder().jobId(job.updateId() + "-write").prompt(request).model(null).aspectRatio(null)
                .task(Task.WRITE).build();
    }

    @Test
    void anIdeaAsksTheTextModelOnceInTheUsersLanguageAndEnqueuesOneCaptionedImageJobPerPrompt() throws Exception {
        answers("1. a lighthouse in a storm, oil painting\n2. a lighthouse at dawn, watercolour\n"
                + "3. a lighthouse under the stars");
        Job job = idea("ru", "маяк", 3);

        run.run(job, "m1", () -> 60_000);

        RecordedRequest create = fixture.find("/predictions");
        assertThat(create.getUrl().encodedPath()).isEqualTo(TEXT_MODEL_PATH);
        JsonNode input = Json.MAPPER.readTree(create.getBody().string(StandardCharsets.UTF_8)).get("input");
        assertThat(input.get("prompt").asText()).isEqualTo("маяк");
        assertThat(input.get("system_prompt").asText())
                .contains("exactly 3 different image prompts, one per line", "in Russian", TextInstructions.REFUSAL_MARKER);
        assertThat(input.get("max_tokens").asInt()).isPositive();
        assertThat(fixture.count("/sendChatAction")).isEqualTo(1);
        assertThat(fixture.queue.enqueued)
                .extracting(Job::jobId, Job::prompt, Job::position, Job::total, Job::model, Job::aspectRatio, Job::task)
                .containsExactly(
                        tuple(job.jobId() + "-0", "a lighthouse in a storm, oil painting", 1, 3, "seedream", "16:9",
                                Task.IMAGE),
                        tuple(job.jobId() + "-1", "a lighthouse at dawn, watercolour", 2, 3, "seedream", "16:9",
                                Task.IMAGE),
                        tuple(job.jobId() + "-2", "a lighthouse under the stars", 3, 3, "seedream", "16:9",
                                Task.IMAGE));
        assertThat(fixture.queue.enqueued).allSatisfy(image -> {
            assertThat(image.chatId()).isEqualTo(job.chatId());
            assertThat(image.replyTo()).isEqualTo(10);
            assertThat(image.language()).isEqualTo("ru");
        });
        assertThat(fixture.count("/sendMessage")).isZero();
        assertThat(fixture.record(job).state()).isEqualTo(State.DELIVERED);
    }

    @Test
    void anIdeaWithAChosenSeedGivesItsImagesConsecutiveSeeds() throws Exception {
        answers("1. a lighthouse in a storm\n2. a lighthouse at dawn");
        Job job = idea("en", "a lighthouse", 2).toBuilder().seed(40L).build();

        run.run(job, "m1", () -> 60_000);

        assertThat(fixture.queue.enqueued).extracting(Job::seed).containsExactly(40L, 41L);
    }

    @Test
    void aRedeliveredOrDuplicatedPlanningJobPaysForOneTextPredictionAndEnqueuesTheImagesOnce() throws Exception {
        fixture.routes.put("/predictions/t1", request -> textPrediction("t1", "processing", null, null));
        Job job = idea("en", "a lighthouse", 2);
        assertThatThrownBy(() -> run.run(job, "m1", () -> 10_500)).isInstanceOf(RetryLater.class);
        assertThat(run.run(job, "m2", () -> 60_000)).isInstanceOf(JobRun.Duplicate.class);
        assertThat(fixture.queue.enqueued).isEmpty();

        answers("a lighthouse in a storm\na lighthouse at dawn");
        fixture.clock.advance(WorkerTimings.DEFAULTS.lease());
        run.run(job, "m1", () -> 60_000);
        run.run(job, "m1", () -> 60_000);
        assertThat(run.run(job, "m2", () -> 60_000)).isInstanceOf(JobRun.Duplicate.class);

        assertThat(fixture.creates()).isEqualTo(1);
        assertThat(fixture.queue.enqueued).extracting(Job::jobId).containsExactly(job.jobId() + "-0", job.jobId() + "-1");
        assertThat(fixture.record(job).predictionId()).isEqualTo("t1");
    }

    @Test
    void aRunThatDiedAfterTheFanOutOnlyFinishesTellingTheUser() throws Exception {
        Job job = idea("en", "a lighthouse", 2);
        fixture.records.create(StorageKeys.job(job.jobId()), JobRecord.claimed("m1", "dead-run", 1, 2, job)
                .predicting("t1").fannedOut("Not drawn: a lighthouse in gore"));

        run.run(job, "m1", () -> 60_000);

        assertThat(fixture.creates()).isZero();
        assertThat(fixture.queue.enqueued).isEmpty();
        assertThat(fixture.told()).containsExactly("Not drawn: a lighthouse in gore");
        assertThat(fixture.record(job).state()).isEqualTo(State.DELIVERED);
    }

    @Test
    void aGeneratedPromptWithABlockedTermIsSkippedAndToldWhileTheOthersAreDrawnAndItsUnitGivenBack() throws Exception {
        answers("Here are 3 prompts:\n- a knight at dawn\n- a battlefield full of Gore, oil painting\n- a knight's horse");
        Job job = idea("en", "a knight", 3).toBuilder().quotaDay(fixture.ledger.today()).build();
        fixture.ledger.take(job.userId(), "u1", new Units(3, 0), Units.NONE);

        run.run(job, "m1", () -> 60_000);

        assertThat(fixture.queue.enqueued).extracting(Job::prompt).containsExactly("a knight at dawn", "a knight's horse");
        assertThat(fixture.queue.enqueued).extracting(Job::total).containsOnly(2);
        assertThat(fixture.told()).singleElement().asString().contains("Not drawn, because these prompts contain words"
                + " this bot does not draw:\n• a battlefield full of Gore, oil painting (\"gore\")");
        assertThat(fixture.ledger.used(job.userId())).isEqualTo(new Units(2, 0));
        assertThat(fixture.record(job).state()).isEqualTo(State.DELIVERED);
    }

    @Test
    void anIdeaTheTextModelRefusesGetsAClearMessageOnceAndNoImages() throws Exception {
        answers(TextInstructions.REFUSAL_MARKER);
        Job job = idea("en", "something dubious", 4);

        run.run(job, "m1", () -> 60_000);
        run.run(job, "m1", () -> 60_000);

        assertThat(fixture.queue.enqueued).isEmpty();
        assertThat(fixture.told()).containsExactly("The text model declined the idea \"something dubious\","
                + " so there are no pictures. Try wording it differently.");
        assertThat(fixture.record(job).state()).isEqualTo(State.ENDED);
    }

    @Test
    void aTextModelThatFailsIsExplainedAsWritingNotAsAnImage() throws Exception {
        fixture.routes.put("/predictions/t1", request -> textPrediction("t1", "failed", null, "NSFW content detected."));

        run.run(write("a rude poem"), "m1", () -> 60_000);

        assertThat(fixture.told()).singleElement().asString().contains("I could not write for \"a rude poem\": the text"
                + " model refused. It flagged the prompt or the picture as unsafe");
    }

    @Test
    void aLongTextIsSentAsSeveralMessagesInOrderEachWithinTelegramsLimit() throws Exception {
        List<String> paragraphs = new ArrayList<>();
        for (int p = 0; p < 30; p++) {
            paragraphs.add("Paragraph " + p + ". " + "Coffee is brewed slowly here. ".repeat(12).strip());
        }
        String text = String.join("\n\n", paragraphs);
        answers(text);
        Job job = write("a long post about our coffee shop");

        run.run(job, "m1", () -> 60_000);

        List<String> messages = fixture.told();
        assertThat(messages).hasSizeGreaterThan(2).allSatisfy(message -> assertThat(message.length())
                .isLessThanOrEqualTo(4096));
        assertThat(messages.get(0)).startsWith("Paragraph 0.");
        assertThat(String.join("\n\n", messages)).isEqualTo(text);
        assertThat(fixture.record(job).state()).isEqualTo(State.DELIVERED);
    }

    @Test
    void aWriteRequestTheTextModelRefusesIsExplained() throws Exception {
        answers(" " + TextInstructions.REFUSAL_MARKER + "\n");

        run.run(write("something dubious"), "m1", () -> 60_000);

        assertThat(fixture.told()).singleElement().asString()
                .contains("The text model declined to write \"something dubious\".");
    }

    @Test
    void aPlanningJobThatUsedUpItsRetriesIsExplainedAsWritingUnlessItsImagesAreOnTheirWay() throws Exception {
        Job failed = write("a post about owls");
        Job fannedOut = idea("en", "a lighthouse", 2);
        fixture.records.create(StorageKeys.job(fannedOut.jobId()), JobRecord.claimed("m2", "run", 1, 2, fannedOut)
                .predicting("t1").fannedOut(null));

        new DeadLetterHandler(components).handleRequest(WorkerFixture.event(new LinkedHashMap<>(Map.of("m1", failed,
                "m2", fannedOut))), new TestContext());

        assertThat(fixture.told()).containsExactly("Sorry, I could not write for \"a post about owls\": the text model"
                + " or Telegram kept failing. Please send it again a bit later.");
        assertThat(fixture.record(fannedOut).state()).isEqualTo(State.DELIVERED);
    }

    /** The text model's answer, streamed as pieces the way Replicate's language models return it. */
    private void answers(String text) {
        List<String> pieces = List.of(text.split("(?<= )"));
        fixture.routes.put("/predictions/t1", request -> textPrediction("t1", "succeeded", pieces, null));
    }

    private MockResponse textPrediction(String id, String status, List<String> output, String error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("model", "meta/meta-llama-3-8b-instruct");
        body.put("status", status);
        body.put("output", output);
        body.put("error", error);
        body.put("created_at", fixture.clock.instant().toString());
        body.put("started_at", fixture.clock.instant().toString());
        try {
            return new MockResponse.Builder().code(201).body(Json.MAPPER.writeValueAsString(body)).build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
