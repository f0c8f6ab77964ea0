package imagine.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.Task;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The jobs queue's consumer. The jobs of a batch run side by side. A job that must wait (for its prediction's
 * callback, another run's lease, the chat's turn, a rate limit) goes back on the queue as a new, delayed message that
 * carries the job on, so waiting never counts toward the dead-letter queue. A job whose attempt failed is reported
 * as a batch item failure after its message's visibility is set to when it should come back: SQS counts those, and
 * after the redrive limit the dead-letter function ends the job.
 */
public final class WorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final Components components;
    private final ExecutorService executor;

    public WorkerHandler() {
        this(Components.fromEnvironment());
        WorkerPriming.register(components);
    }

    WorkerHandler(Components components) {
        this.components = components;
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "job");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<CompletableFuture<String>> attempts = event.getRecords().stream()
                .map(message -> CompletableFuture.supplyAsync(() -> attempt(message, context), executor))
                .toList();
        List<SQSBatchResponse.BatchItemFailure> failed = attempts.stream()
                .map(CompletableFuture::join)
                .filter(Objects::nonNull)
                .map(id -> SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build())
                .toList();
        return SQSBatchResponse.builder().withBatchItemFailures(failed).build();
    }

    /** Returns the message id when the message must come back (a failed attempt), null when it is done with. */
    private String attempt(SQSMessage message, Context context) {
        LambdaLogger log = context.getLogger();
        Job job;
        try {
            job = Json.MAPPER.readValue(message.getBody(), Job.class);
        } catch (IOException | IllegalArgumentException e) {
            log.log("dropped message " + message.getMessageId() + ": not a job (" + e.getClass().getSimpleName() + ")");
            return null;
        }
        String owner = job.ownerIn(message.getMessageId());
        try {
            if (job.task() == Task.CANCEL) {
                log.log("cancel " + job.jobId() + ": stopped " + components.cancels().run(job) + " prediction(s)");
                return null;
            }
            JobRun.Outcome outcome = components.run().run(job, message.getMessageId(), context::getRemainingTimeInMillis);
            if (outcome instanceof JobRun.Waits waits) {
                return waitOnQueue(message, job, owner, waits.after(), waits.why(), log);
            }
            log.log("job " + job.jobId() + (outcome instanceof JobRun.Duplicate ? " is carried by another message"
                    : " done"));
            return null;
        } catch (Exception e) {
            Verdict verdict = components.failures().verdict(e, receiveCount(message), job.waits());
            if (verdict instanceof Verdict.Wait wait) {
                return waitOnQueue(message, job, owner, wait.after(), wait.reason(), log);
            }
            Verdict.Retry retry = (Verdict.Retry) verdict;
            log.log("job " + job.jobId() + " failed, tried again in " + retry.after().toSeconds() + " s: "
                    + retry.reason());
            return comeBack(message, retry.after());
        }
    }

    /**
     * The job waits as a new message, and this one is deleted. A job that waited too often, or whose new message
     * cannot be sent, comes back as this message instead, which counts toward the dead-letter queue.
     */
    private String waitOnQueue(SQSMessage message, Job job, String owner, Duration after, String why,
                               LambdaLogger log) {
        if (job.waits() >= components.timings().maxWaits()) {
            log.log("job " + job.jobId() + " waited " + job.waits() + " times, which counts as a failure: " + why);
            return comeBack(message, after);
        }
        try {
            components.queue().putBack(job.carriedFor(owner).waitedOnceMore(), after);
            log.log("job " + job.jobId() + " waits " + after.toSeconds() + " s: " + why);
            return null;
        } catch (RuntimeException e) {
            log.log("job " + job.jobId() + " could not be put back to wait (" + e.getClass().getSimpleName()
                    + "); its message comes back instead");
            return comeBack(message, after);
        }
    }

    /** Returns the message id, after making the message visible again {@code after} from now. */
    private String comeBack(SQSMessage message, Duration after) {
        try {
            components.queue().comeBack(message.getReceiptHandle(), after);
        } catch (RuntimeException visibilityFailure) {
            // It comes back after the queue's visibility timeout instead.
        }
        return message.getMessageId();
    }

    private static int receiveCount(SQSMessage message) {
        String count = message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount");
        return count == null ? 1 : Integer.parseInt(count);
    }
}
