package imagine.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.Task;
import imagine.core.telemetry.Log;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Jobs whose attempts failed until the redrive limit. Each ends through the same lifecycle as in the worker: its
 * prediction is stopped (also one an attempt made but could not record), its unit goes back, an album stops waiting
 * for it, and the user is told once which prompt failed. A job another run holds is left to that run for now; a job
 * already finished says nothing. A dead letter whose ending keeps failing is tried a few times, then dropped with a
 * log line rather than telling the user again and again.
 */
public final class DeadLetterHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    /** How often one dead letter is tried; the dead-letter queue itself keeps messages for days. */
    static final int MAX_RECEIVES = 3;
    /**
     * The jobs queue's {@code maxReceiveCount} in template.yaml. A message moved here may keep the receive count it
     * reached there; the tries here are counted past it.
     */
    static final int JOBS_QUEUE_MAX_RECEIVES = 5;
    private static final Duration BUSY_RETRY = Duration.ofMinutes(1);

    private final Jobs jobs;
    private final Predictions predictions;
    private final Endings endings;
    private final Catalog catalog;
    private final JobReports reports;

    public DeadLetterHandler() {
        this(Components.fromEnvironment());
    }

    DeadLetterHandler(Components components) {
        this.jobs = components.jobs();
        this.predictions = components.predictions();
        this.endings = components.endings();
        this.catalog = components.catalog();
        this.reports = components.reports();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        Log.attach(context);
        List<SQSBatchResponse.BatchItemFailure> retried = new ArrayList<>();
        for (SQSMessage message : event.getRecords()) {
            Job job;
            try {
                job = Json.MAPPER.readValue(message.getBody(), Job.class);
            } catch (IOException | IllegalArgumentException e) {
                Log.of("message_id", message.getMessageId()).warn("dropped a dead letter that is not a job", e);
                continue;
            }
            Log log = Log.of("job_id", job.jobId(), "update_id", job.updateId(), "user_id", job.userId(),
                    "model", job.model(), "task", job.task().wireName(), "message_id", message.getMessageId(),
                    "stage", "dead_letter");
            try {
                String done = giveUp(job, job.ownerIn(message.getMessageId()));
                log.info("dead letter handled", "outcome", done);
            } catch (IOException | RuntimeException e) {
                if (triesHere(message) < MAX_RECEIVES) {
                    log.warn("dead letter tried again", e);
                    retried.add(SQSBatchResponse.BatchItemFailure.builder()
                            .withItemIdentifier(message.getMessageId()).build());
                    continue;
                }
                log.error("dead letter dropped after its tries", e, "tries", triesHere(message));
            }
            // Once, as the message leaves the queue: its receive count may go on from the jobs queue's.
            reports.deadLettered(job);
        }
        return SQSBatchResponse.builder().withBatchItemFailures(retried).build();
    }

    /** Ends the job as failed unless it needs nothing more; returns what was done, for the log. */
    private String giveUp(Job job, String owner) throws IOException {
        if (job.task() == Task.CANCEL) {
            return "a cancel task, dropped";
        }
        Jobs.Claim claim = jobs.claim(job, owner);
        if (claim instanceof Jobs.Busy) {
            throw new RetryLater("another run holds the job", BUSY_RETRY);
        }
        if (!(claim instanceof Jobs.Taken taken)) {
            return "nothing more is owed";
        }
        Jobs.Lease lease = taken.lease();
        JobRecord record = lease.record();
        switch (record.state()) {
            case FANNED_OUT -> {
                lease.tellPending();
                lease.delivered();
                return "its images are on their way";
            }
            case ENDED -> {
                lease.finishEnding();
                return "its ending finished";
            }
            case PREDICTING -> predictions.stop(record.predictionId());
            case CLAIMED -> {
                if (record.createStarted() != null && job.task() != Task.FULL_SIZE) {
                    predictions.stopOrphan(job, job.isPlanning() ? catalog.textModel() : catalog.get(job.model()),
                            record.createStarted());
                }
            }
            default -> {
                // STORED: the result is kept but could not be sent.
            }
        }
        Ending failed = endings.failedAfterRetries(job);
        lease.end(failed);
        reports.ended(job, endings.modelKey(job), failed);
        return "ended as failed";
    }

    private static int triesHere(SQSMessage message) {
        String count = message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount");
        int received = count == null ? 1 : Integer.parseInt(count);
        return received > JOBS_QUEUE_MAX_RECEIVES ? received - JOBS_QUEUE_MAX_RECEIVES : received;
    }
}
