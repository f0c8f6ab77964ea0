package imagine.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import imagine.core.Job;
import imagine.core.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The jobs queue's consumer. The jobs of a batch run side by side; each one that must be tried again
 * is reported as a batch item failure, after its message's visibility is set to when it should come
 * back, so SQS redelivers it then and moves it to the dead-letter queue after the redrive limit.
 */
public final class WorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final JobRunner runner;
    private final Failures failures;
    private final Visibility visibility;
    private final ExecutorService executor;

    /** Puts a message back on its queue after a delay. */
    interface Visibility {
        void delay(String receiptHandle, Duration after);
    }

    public WorkerHandler() {
        this(Components.fromEnvironment());
    }

    private WorkerHandler(Components components) {
        this(components.runner(), components.failures(), sqsVisibility(components.sqs(), components.queueUrl()),
                Executors.newCachedThreadPool(runnable -> {
                    Thread thread = new Thread(runnable, "job");
                    thread.setDaemon(true);
                    return thread;
                }));
        WorkerPriming.register(components);
    }

    WorkerHandler(JobRunner runner, Failures failures, Visibility visibility, ExecutorService executor) {
        this.runner = runner;
        this.failures = failures;
        this.visibility = visibility;
        this.executor = executor;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<CompletableFuture<String>> attempts = event.getRecords().stream()
                .map(message -> CompletableFuture.supplyAsync(() -> attempt(message, context), executor))
                .toList();
        List<SQSBatchResponse.BatchItemFailure> failures = attempts.stream()
                .map(CompletableFuture::join)
                .filter(id -> id != null)
                .map(id -> SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build())
                .toList();
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /** Returns the message id when the message must come back, null when it is done with. */
    private String attempt(SQSMessage message, Context context) {
        LambdaLogger log = context.getLogger();
        Job job;
        try {
            job = Json.MAPPER.readValue(message.getBody(), Job.class);
        } catch (IOException e) {
            log.log("dropped message " + message.getMessageId() + ": not a job (" + e.getClass().getSimpleName() + ")");
            return null;
        }
        try {
            JobRunner.Outcome outcome = runner.run(job, message.getMessageId(), context::getRemainingTimeInMillis);
            if (outcome == JobRunner.Outcome.AWAITING_CALLBACK) {
                // The message stays, out of sight until the check-up: the safety net for a callback that never comes.
                Duration checkAfter = runner.checkAfter();
                log.log("job " + job.jobId() + " awaits its callback; checked in " + checkAfter.toSeconds() + " s");
                return comeBack(message, checkAfter, job, log);
            }
            log.log("job " + job.jobId() + (outcome == JobRunner.Outcome.DUPLICATE ? " is carried by another message"
                    : " done"));
            return null;
        } catch (Exception e) {
            Verdict verdict = failures.verdict(e, receiveCount(message));
            if (verdict instanceof Verdict.GiveUp giveUp) {
                log.log("job " + job.jobId() + " given up: " + giveUp.reason());
                return null;
            }
            Verdict.Retry retry = (Verdict.Retry) verdict;
            log.log("job " + job.jobId() + " retried in " + retry.after().toSeconds() + " s: " + retry.reason());
            return comeBack(message, retry.after(), job, log);
        }
    }

    /** Returns the message id, after making the message visible again {@code after} from now. */
    private String comeBack(SQSMessage message, Duration after, Job job, LambdaLogger log) {
        try {
            visibility.delay(message.getReceiptHandle(), after);
        } catch (RuntimeException visibilityFailure) {
            log.log("job " + job.jobId() + ": could not set its delay, it returns after the visibility timeout");
        }
        return message.getMessageId();
    }

    private static int receiveCount(SQSMessage message) {
        String count = message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount");
        return count == null ? 1 : Integer.parseInt(count);
    }

    private static Visibility sqsVisibility(SqsClient sqs, String queueUrl) {
        return (receiptHandle, after) -> sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl)
                .receiptHandle(receiptHandle)
                .visibilityTimeout((int) Math.min(43_200, Math.max(0, after.toSeconds()))));
    }
}
