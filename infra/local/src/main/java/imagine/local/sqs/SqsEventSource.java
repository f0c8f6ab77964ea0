package imagine.local.sqs;

import imagine.local.lambda.FunctionRuntime;
import imagine.local.lambda.InvocationResult;
import imagine.local.template.QueueAddress;
import imagine.local.template.SqsSubscription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Lambda's SQS event source mapping for one event of one function: long-polls the queue, invokes the function with
 * batches, deletes what succeeded, and keeps up to the maximum concurrency of invocations in flight.
 */
public final class SqsEventSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqsEventSource.class);
    private static final int WAIT_SECONDS = 1;
    private static final long CLOSE_GRACE_SECONDS = 10;

    private final SqsSubscription subscription;
    private final QueueAddress queue;
    private final FunctionRuntime function;
    private final SqsClient sqs;
    private final String region;
    private final Semaphore inFlight;
    private final int concurrency;
    private final ExecutorService invokers;
    private final Thread poller;
    private volatile boolean running = true;

    private SqsEventSource(SqsSubscription subscription, QueueAddress queue, FunctionRuntime function, SqsClient sqs,
            String region) {
        this.subscription = subscription;
        this.queue = queue;
        this.function = function;
        this.sqs = sqs;
        this.region = region;
        this.concurrency = subscription.maximumConcurrency() != null
                ? subscription.maximumConcurrency() : function.maximumConcurrency();
        this.inFlight = new Semaphore(concurrency);
        AtomicInteger numbers = new AtomicInteger();
        String name = function.name() + "-" + subscription.eventName();
        this.invokers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name + "-" + numbers.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.poller = new Thread(this::poll, name + "-poller");
        poller.setDaemon(true);
    }

    /** {@code sqs} is shared and stays open: the caller closes it after closing this. */
    public static SqsEventSource start(SqsSubscription subscription, QueueAddress queue, FunctionRuntime function,
            SqsClient sqs, String region) {
        SqsEventSource source = new SqsEventSource(subscription, queue, function, sqs, region);
        source.poller.start();
        LOG.info("{} polls {} (batch {}, concurrency {})", function.name(), queue.name(),
                subscription.batchSize(), source.concurrency);
        return source;
    }

    public int concurrency() {
        return concurrency;
    }

    private void poll() {
        while (running) {
            try {
                inFlight.acquire();
                List<Message> batch = receiveBatch();
                if (batch.isEmpty()) {
                    inFlight.release();
                    continue;
                }
                invokers.execute(() -> {
                    try {
                        process(batch);
                    } finally {
                        inFlight.release();
                    }
                });
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                inFlight.release();
                if (!running) {
                    return;
                }
                LOG.warn("{}: polling {} failed: {}", function.name(), queue.name(), e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** Up to BatchSize messages; with a batching window, keeps receiving until full or the window ends. */
    private List<Message> receiveBatch() {
        List<Message> batch = new ArrayList<>();
        long windowEnd = System.currentTimeMillis() + subscription.maximumBatchingWindowInSeconds() * 1000L;
        do {
            int wanted = Math.min(10, subscription.batchSize() - batch.size());
            batch.addAll(sqs.receiveMessage(r -> r.queueUrl(queue.url())
                    .maxNumberOfMessages(wanted)
                    .waitTimeSeconds(WAIT_SECONDS)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                    .messageAttributeNames("All")).messages());
        } while (running && batch.size() < subscription.batchSize()
                && !batch.isEmpty() && System.currentTimeMillis() < windowEnd);
        return batch;
    }

    private void process(List<Message> batch) {
        InvocationResult result = function.execute(SqsEvents.event(batch, queue.arn(), region));
        List<Message> done = BatchOutcome.succeeded(batch, result, subscription.reportBatchItemFailures());
        if (result.failed()) {
            LOG.warn("{}: batch of {} failed ({}); the messages return after the visibility timeout",
                    function.name(), batch.size(), result.error().errorType());
        } else if (done.size() < batch.size()) {
            LOG.info("{}: {} of {} messages failed and will be retried", function.name(),
                    batch.size() - done.size(), batch.size());
        }
        delete(done);
    }

    private void delete(List<Message> messages) {
        for (int from = 0; from < messages.size(); from += 10) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (Message m : messages.subList(from, Math.min(messages.size(), from + 10))) {
                entries.add(DeleteMessageBatchRequestEntry.builder()
                        .id(Integer.toString(entries.size())).receiptHandle(m.receiptHandle()).build());
            }
            try {
                sqs.deleteMessageBatch(r -> r.queueUrl(queue.url()).entries(entries)).failed().forEach(f -> LOG.warn(
                        "{}: could not delete a message: {}", function.name(), f.message()));
            } catch (RuntimeException e) {
                LOG.warn("{}: could not delete {} messages: {}", function.name(), entries.size(), e.toString());
            }
        }
    }

    /**
     * Stops polling, then gives the invocations in flight a short grace (bounded by the function's timeout) to
     * finish; messages of unfinished batches come back after their visibility timeout.
     */
    @Override
    public void close() {
        running = false;
        poller.interrupt();
        try {
            poller.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS + 5));
            invokers.shutdown();
            long grace = Math.min(CLOSE_GRACE_SECONDS, function.spec().timeoutSeconds() + 1L);
            if (!invokers.awaitTermination(grace, TimeUnit.SECONDS)) {
                invokers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            invokers.shutdownNow();
        }
    }
}
