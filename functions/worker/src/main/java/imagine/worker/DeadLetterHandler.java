package imagine.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.Texts;
import imagine.worker.JobRecord.State;
import imagine.worker.JobStore.Versioned;
import imagine.worker.replicate.ReplicateClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Jobs that used up their retries. Each user is told which prompt failed, a prediction still running
 * for it is canceled, the image is not counted against the user's day, and the job is marked ended, so
 * nothing is dropped silently.
 */
public final class DeadLetterHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final Delivery delivery;
    private final JobStore store;
    private final ReplicateClient replicate;
    private final Failures failures;
    private final QuotaRefunds refunds;
    private final Catalog catalog;
    private final Albums albums;

    public DeadLetterHandler() {
        this(Components.fromEnvironment());
    }

    private DeadLetterHandler(Components components) {
        this(components.delivery(), components.store(), components.replicate(), components.failures(),
                components.refunds(), components.catalog(), components.albums());
    }

    DeadLetterHandler(Delivery delivery, JobStore store, ReplicateClient replicate, Failures failures,
                      QuotaRefunds refunds, Catalog catalog, Albums albums) {
        this.catalog = catalog;
        this.albums = albums;
        this.delivery = delivery;
        this.store = store;
        this.replicate = replicate;
        this.failures = failures;
        this.refunds = refunds;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> retried = new ArrayList<>();
        for (SQSMessage message : event.getRecords()) {
            try {
                explain(Json.MAPPER.readValue(message.getBody(), Job.class), message.getMessageId());
            } catch (IOException | RuntimeException e) {
                if (failures.verdict(e, 1) instanceof Verdict.Retry) {
                    context.getLogger().log("dead letter " + message.getMessageId() + " retried: " + e.getMessage());
                    retried.add(SQSBatchResponse.BatchItemFailure.builder()
                            .withItemIdentifier(message.getMessageId()).build());
                } else {
                    context.getLogger().log("dead letter " + message.getMessageId() + " given up: " + e.getMessage());
                }
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(retried).build();
    }

    /**
     * A dead letter that does not own its job (a duplicate), whose job finished meanwhile, or whose idea's
     * images are already on their way says nothing.
     */
    private void explain(Job job, String messageId) throws IOException {
        Optional<Versioned> current = store.load(job.jobId());
        if (current.isPresent() && (current.get().record().isFinished()
                || current.get().record().state() == State.FANNED_OUT
                || !messageId.equals(current.get().record().owner()))) {
            return;
        }
        String predictionId = current.map(v -> v.record().predictionId()).orElse(null);
        if (predictionId != null) {
            try {
                replicate.cancel(predictionId);
            } catch (IOException | RuntimeException e) {
                // It may have finished meanwhile; the user is told either way.
            }
        }
        refunds.giveBack(job);
        delivery.tell(job, Texts.forLanguage(job.language()).get(Completion.textKey(job, catalog, "failed_retries"), job.position(), job.total(),
                JobRunner.shortPrompt(job)));
        if (job.albumSize() > 1) {
            albums.leaveOut(job, catalog.get(job.model()));
        }
        JobRecord ended = new JobRecord(State.ENDED, messageId, null, 0, predictionId, null, null, job);
        if (current.isPresent()) {
            store.replace(job.jobId(), current.get(), ended);
        } else {
            store.create(job.jobId(), ended);
        }
    }
}
