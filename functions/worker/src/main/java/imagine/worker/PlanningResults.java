package imagine.worker;

import imagine.core.BlockedTerms;
import imagine.core.Job;
import imagine.core.JobQueue;
import imagine.core.Task;
import imagine.core.Texts;
import imagine.worker.replicate.Prediction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a planning job makes of the text model's finished answer. An idea's prompts are checked against the blocked
 * terms, the others become image jobs (their ids derived from the planning job's, so a repeated run enqueues the
 * same jobs, which run once), the fan-out is recorded, and the user is told which prompts were skipped and why. A
 * text is sent as messages.
 */
final class PlanningResults {
    private final JobQueue queue;
    private final Delivery delivery;
    private final BlockedTerms blocked;
    private final QuotaRefunds refunds;
    private final Endings endings;

    PlanningResults(JobQueue queue, Delivery delivery, BlockedTerms blocked, QuotaRefunds refunds, Endings endings) {
        this.queue = queue;
        this.delivery = delivery;
        this.blocked = blocked;
        this.refunds = refunds;
        this.endings = endings;
    }

    /**
     * Takes the planning job to its end from its text model's successful answer: its images enqueued or its text
     * sent, or why there is none.
     */
    void finish(Job job, Jobs.Lease lease, Prediction answered) throws IOException {
        Optional<String> unusable = unusable(job, answered.outputText());
        if (unusable.isPresent()) {
            lease.end(endings.unusableText(unusable.get()));
            return;
        }
        if (job.task() == Task.WRITE) {
            delivery.sendText(job, answered.outputText());
            lease.delivered();
            return;
        }
        Texts texts = Texts.forLanguage(job.language());
        List<String> drawn = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String prompt : GeneratedPrompts.parse(answered.outputText(), job.total())) {
            Optional<String> term = blocked.foundIn(prompt);
            if (term.isPresent()) {
                skipped.add(texts.get("idea_skipped.line", prompt, term.get()));
            } else {
                drawn.add(prompt);
            }
        }
        List<Job> images = new ArrayList<>();
        for (int i = 0; i < drawn.size(); i++) {
            images.add(Job.builder().jobId(job.imageIdFor(i)).replyingTo(job.chatId(), job.replyTo())
                    .user(job.userId(), job.language()).prompt(drawn.get(i)).model(job.model())
                    .aspectRatio(job.aspectRatio()).position(i + 1, drawn.size()).asFile(job.asFile())
                    .quotaDay(job.quotaDay()).seed(job.seed() == null ? null : job.seed() + i).build());
        }
        queue.enqueue(images);
        refunds.giveBackUndrawn(job, images.size());
        lease.fannedOut(skipped.isEmpty() ? null : texts.get("idea_skipped", String.join("\n", skipped)));
        lease.tellPending();
        lease.delivered();
    }

    /** Why the answer gives nothing to draw or send, in the user's words; empty when it does. */
    private static Optional<String> unusable(Job job, String answer) {
        Texts texts = Texts.forLanguage(job.language());
        String request = Texts.excerpt(job.prompt());
        if (TextInstructions.isRefusal(answer)) {
            return Optional.of(texts.get(job.task() == Task.IDEA ? "idea_refused" : "write_refused", request));
        }
        boolean empty = job.task() == Task.WRITE ? answer.isBlank() : GeneratedPrompts.parse(answer, job.total()).isEmpty();
        return empty ? Optional.of(texts.get("text_empty", request)) : Optional.empty();
    }
}
