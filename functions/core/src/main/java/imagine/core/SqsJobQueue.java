package imagine.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** Sends jobs with SendMessageBatch, ten per call, the calls in parallel. */
public final class SqsJobQueue implements JobQueue {
    static final int BATCH_SIZE = 10;
    static final Duration MAX_DELAY = Duration.ofMinutes(15);
    private static final int ATTEMPTS = 3;

    private final SqsClient sqs;
    private final String queueUrl;
    private final ExecutorService executor;

    /** With its own small pool of daemon threads for the parallel batch calls. */
    public SqsJobQueue(SqsClient sqs, String queueUrl) {
        this(sqs, queueUrl, Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "enqueue");
            thread.setDaemon(true);
            return thread;
        }));
    }

    SqsJobQueue(SqsClient sqs, String queueUrl, ExecutorService executor) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.executor = executor;
    }

    @Override
    public void enqueue(List<Job> jobs) {
        List<CompletableFuture<Void>> others = new ArrayList<>();
        for (int from = BATCH_SIZE; from < jobs.size(); from += BATCH_SIZE) {
            List<Job> batch = jobs.subList(from, Math.min(jobs.size(), from + BATCH_SIZE));
            others.add(CompletableFuture.runAsync(() -> send(batch), executor));
        }
        // The first call on this thread: a message of one batch, the usual one, starts no pool thread on a cold path.
        send(jobs.subList(0, Math.min(jobs.size(), BATCH_SIZE)));
        CompletableFuture.allOf(others.toArray(CompletableFuture[]::new)).join();
    }

    /**
     * Puts one job on the queue to be received no sooner than {@code after} from now. SQS delays a message at most
     * 15 minutes; a longer wait is waited again by whoever receives it.
     */
    public void later(Job job, Duration after) {
        int delay = (int) Math.min(MAX_DELAY.toSeconds(), Math.max(0, after.toSeconds()));
        String body = entry(job).messageBody();
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body).delaySeconds(delay));
    }

    private void send(List<Job> batch) {
        Map<String, SendMessageBatchRequestEntry> pending = batch.stream()
                .map(SqsJobQueue::entry)
                .collect(Collectors.toMap(SendMessageBatchRequestEntry::id, Function.identity()));
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(pending.values()));
            response.successful().forEach(ok -> pending.remove(ok.id()));
            List<BatchResultErrorEntry> failed = response.failed();
            boolean retryable = failed.stream().noneMatch(BatchResultErrorEntry::senderFault);
            if (!pending.isEmpty() && (attempt == ATTEMPTS || !retryable)) {
                throw new IllegalStateException("SQS refused " + failed.size() + " job(s): " + failed.get(0).code());
            }
        }
    }

    /** Sends an empty batch, which SQS refuses before it looks at the queue: the client's whole request path, run once. */
    public void warmUp() {
        try {
            sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(List.of()));
        } catch (RuntimeException expected) {
            // EmptyBatchRequest, or no network: either way the path has run.
        }
    }

    public static SendMessageBatchRequestEntry entry(Job job) {
        try {
            return SendMessageBatchRequestEntry.builder()
                    .id(job.jobId())
                    .messageBody(Json.MAPPER.writeValueAsString(job))
                    .build();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
