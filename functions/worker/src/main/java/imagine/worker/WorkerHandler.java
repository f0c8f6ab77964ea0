package imagine.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.Task;
import imagine.core.telemetry.Log;
import imagine.core.telemetry.Metrics;
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
    private static final Log LOG = Log.of();
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
        Log.attach(context);
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
        long started = System.nanoTime();
        Job job;
        try {
            job = Json.MAPPER.readValue(message.getBody(), Job.class);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("dropped a message that is not a job", e, "message_id", message.getMessageId());
            return null;
        }
        Log log = Log.of("job_id", job.jobId(), "update_id", job.updateId(), "user_id", job.userId(),
                "model", job.model(), "task", job.task().wireName(), "message_id", message.getMessageId(),
                "receive_count", receiveCount(message));
        String owner = job.ownerIn(message.getMessageId());
        try {
            if (job.task() == Task.CANCEL) {
                log.info("cancel task done", "stopped", components.cancels().run(job), "duration_ms", since(started));
                return null;
            }
            JobRun.Outcome outcome = components.run().run(job, message.getMessageId(), context::getRemainingTimeInMillis);
            if (outcome instanceof JobRun.Waits waits) {
                return waitOnQueue(message, job, owner, waits.after(), waits.why(), log);
            }
            log.info(outcome instanceof JobRun.Duplicate ? "carried by another message" : "run done",
                    "duration_ms", since(started));
            return null;
        } catch (Exception e) {
            Verdict verdict = components.failures().verdict(e, receiveCount(message), job.waits());
            if (verdict instanceof Verdict.Wait wait) {
                return waitOnQueue(message, job, owner, wait.after(), wait.reason(), log);
            }
            Verdict.Retry retry = (Verdict.Retry) verdict;
            log.warn("run failed, tried again later", "retry_in_s", retry.after().toSeconds(), "reason", retry.reason(),
                    "duration_ms", since(started));
            Metrics.event().count("JobRunsFailed").emit();
            return comeBack(message, retry.after());
        }
    }

    private static long since(long started) {
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }

    /**
     * The job waits as a new message, and this one is deleted. A job that waited too often, or whose new message
     * cannot be sent, comes back as this message instead, which counts toward the dead-letter queue.
     */
    private String waitOnQueue(SQSMessage message, Job job, String owner, Duration after, String why, Log log) {
        if (job.waits() >= components.timings().maxWaits()) {
            log.warn("waited too often, which counts as a failure", "waits", job.waits(), "reason", why);
            return comeBack(message, after);
        }
        try {
            components.queue().putBack(job.carriedFor(owner).waitedOnceMore(), after);
            log.info("waits on the queue", "wait_s", after.toSeconds(), "reason", why);
            return null;
        } catch (RuntimeException e) {
            log.warn("could not be put back to wait; its message comes back instead", e);
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
