package imagine.worker;

import imagine.core.BlockedTerms;
import imagine.core.Job;
import imagine.core.JobQueue;
import imagine.core.Task;
import imagine.core.Texts;
import imagine.worker.JobRecord.State;
import imagine.worker.JobStore.Versioned;
import imagine.worker.replicate.Prediction;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a planning job makes of the text model's finished answer. An idea's prompts are checked against
 * the blocked terms, the others become image jobs (their ids derived from the planning job's, so a
 * repeated run enqueues the same jobs, which the job store runs once), the fan-out is recorded, and the
 * user is told which prompts were skipped and why. A text is sent as messages.
 */
final class PlanningResults {
    private final JobStore store;
    private final JobQueue queue;
    private final Delivery delivery;
    private final BlockedTerms blocked;
    private final QuotaRefunds refunds;

    PlanningResults(JobStore store, JobQueue queue, Delivery delivery, BlockedTerms blocked, QuotaRefunds refunds) {
        this.store = store;
        this.queue = queue;
        this.delivery = delivery;
        this.blocked = blocked;
        this.refunds = refunds;
    }

    /**
     * Takes the job to its end, or returns why it has no result (nothing written yet) for the caller to
     * tell and record.
     *
     * @param current the job's record: PREDICTING, or FANNED_OUT when an earlier run enqueued the images
     */
    Optional<String> finish(Job job, Versioned current, Prediction prediction) throws IOException {
        Texts texts = Texts.forLanguage(job.language());
        String answer = prediction.outputText();
        String request = JobRunner.shortPrompt(job);
        if (TextInstructions.isRefusal(answer)) {
            return Optional.of(texts.get(job.task() == Task.IDEA ? "idea_refused" : "write_refused", request));
        }
        if (job.task() == Task.WRITE) {
            if (answer.isBlank()) {
                return Optional.of(texts.get("text_empty", request));
            }
            delivery.sendText(job, answer);
            store.replace(job.jobId(), current, current.record().with(State.DELIVERED));
            return Optional.empty();
        }
        List<String> prompts = GeneratedPrompts.parse(answer, job.total());
        if (prompts.isEmpty()) {
            return Optional.of(texts.get("text_empty", request));
        }
        List<String> drawn = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String prompt : prompts) {
            Optional<String> term = blocked.foundIn(prompt);
            if (term.isPresent()) {
                skipped.add(texts.get("idea_skipped.line", prompt, term.get()));
            } else {
                drawn.add(prompt);
            }
        }
        if (current.record().state() == State.PREDICTING) {
            List<Job> images = new ArrayList<>();
            for (int i = 0; i < drawn.size(); i++) {
                images.add(Job.builder().jobId(job.imageIdFor(i)).replyingTo(job.chatId(), job.replyTo())
                        .user(job.userId(), job.language()).prompt(drawn.get(i)).model(job.model())
                        .aspectRatio(job.aspectRatio()).position(i + 1, drawn.size()).asFile(job.asFile())
                        .quotaDay(job.quotaDay()).build());
            }
            queue.enqueue(images);
            refunds.giveBackUndrawn(job, images.size());
            current = store.replace(job.jobId(), current, current.record().with(State.FANNED_OUT))
                    .orElseThrow(() -> new RetryLater("job record changed while enqueueing its images",
                            Duration.ofSeconds(1)));
        }
        if (!skipped.isEmpty()) {
            delivery.tell(job, texts.get("idea_skipped", String.join("\n", skipped)));
        }
        store.replace(job.jobId(), current, current.record().with(State.DELIVERED));
        return Optional.empty();
    }
}
