package imagine.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import imagine.core.Environment;
import imagine.core.HttpApi;
import imagine.core.Json;
import imagine.worker.JobRecord.State;
import imagine.worker.JobStore.Versioned;
import imagine.worker.replicate.Prediction;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code POST /replicate?job=<jobId>}: a finished prediction, signed by Replicate. Verified, matched to
 * the job's record by the recorded prediction id, and finished the way the worker would finish it.
 *
 * <p>Any 4xx or 5xx makes Replicate send the same webhook again for about a minute; the job's message,
 * parked for a check-up, finishes whatever no callback did. So: refusals (bad signature, stale, unknown,
 * malformed) are 4xx and change nothing; a callback that comes before the worker recorded the prediction,
 * or while someone else is finishing the job, is 409, to be retried; a job already finished is 200.
 */
public final class CallbackHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final ReplicateSignature signature;
    private final JobStore store;
    private final Completion completion;
    private final Failures failures;
    private final Clock clock;

    public CallbackHandler() {
        this(Components.fromEnvironment());
    }

    private CallbackHandler(Components components) {
        this(new ReplicateSignature(Environment.variables().get("REPLICATE_WEBHOOK_SECRET")), components.store(),
                components.completion(), components.failures(), Clock.systemUTC());
    }

    CallbackHandler(ReplicateSignature signature, JobStore store, Completion completion, Failures failures, Clock clock) {
        this.signature = signature;
        this.store = store;
        this.completion = completion;
        this.failures = failures;
        this.clock = clock;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        LambdaLogger log = context.getLogger();
        Optional<byte[]> read = HttpApi.body(event);
        if (read.isEmpty()) {
            log.log("refused a callback whose body is not base64");
            return respond(400, "unreadable body");
        }
        byte[] body = read.get();
        String webhookId = HttpApi.header(event, "webhook-id").orElse(null);
        Optional<String> forged = signature.problem(webhookId, HttpApi.header(event, "webhook-timestamp").orElse(null),
                HttpApi.header(event, "webhook-signature").orElse(null), body, clock.instant());
        if (forged.isPresent()) {
            log.log("refused a callback: " + forged.get());
            return respond(401, "unauthorized");
        }
        String jobId = HttpApi.query(event, "job").orElse(null);
        Prediction prediction;
        try {
            prediction = Json.MAPPER.readValue(body, Prediction.class);
        } catch (IOException e) {
            log.log("refused a callback whose body is not a prediction: " + e.getClass().getSimpleName());
            return respond(400, "not a prediction");
        }
        if (jobId == null || prediction == null || prediction.id() == null) {
            log.log("refused a callback without a job or a prediction id");
            return respond(400, "no job or prediction");
        }
        Optional<Versioned> found = store.load(jobId);
        if (found.isEmpty() || found.get().record().job() == null) {
            log.log("refused a callback for unknown job " + jobId);
            return respond(404, "unknown job");
        }
        Versioned current = found.get();
        JobRecord record = current.record();
        if (record.isFinished()) {
            log.log("callback for job " + jobId + ": already finished");
            return respond(200, "finished");
        }
        if (record.predictionId() == null) {
            log.log("callback for job " + jobId + " came before its prediction was recorded; Replicate will retry");
            return respond(409, "not recorded yet");
        }
        if (!record.predictionId().equals(prediction.id())) {
            log.log("refused a callback for job " + jobId + ": prediction " + prediction.id() + " is not the job's");
            return respond(404, "unknown prediction");
        }
        if (!prediction.isTerminal()) {
            return respond(200, "not finished");
        }
        if (completion.heldNow(record)) {
            log.log("callback for job " + jobId + ": being finished by " + holderKind(record)
                    + "; Replicate will retry");
            return respond(409, "in progress");
        }
        String holder = Completion.CALLBACK_HOLDER + webhookId;
        Optional<Versioned> held = store.replace(jobId, current, record.held(holder, clock.millis()));
        if (held.isEmpty()) {
            log.log("callback for job " + jobId + ": its record changed meanwhile; Replicate will retry");
            return respond(409, "in progress");
        }
        try {
            if (record.state() == State.STORED) {
                completion.deliver(record.job(), held.get());
            } else {
                completion.complete(record.job(), held.get(), prediction, holder);
            }
            log.log("callback for job " + jobId + ": done");
            return respond(200, "done");
        } catch (Exception e) {
            if (failures.verdict(e, 1) instanceof Verdict.GiveUp giveUp) {
                log.log("callback for job " + jobId + " given up: " + giveUp.reason());
                return respond(200, "given up");
            }
            log.log("callback for job " + jobId + " failed, to be retried: " + e.getClass().getSimpleName() + ": "
                    + e.getMessage());
            release(jobId, holder);
            return respond(500, "failed");
        }
    }

    /** Lets Replicate's next delivery (or the worker's check-up) go on at once, if this callback holds the job. */
    private void release(String jobId, String holder) {
        try {
            store.load(jobId).filter(latest -> holder.equals(latest.record().attempt()))
                    .ifPresent(latest -> store.replace(jobId, latest, latest.record().released()));
        } catch (RuntimeException e) {
            // The hold then runs out by itself.
        }
    }

    private static String holderKind(JobRecord record) {
        return record.attempt().startsWith(Completion.CALLBACK_HOLDER) ? "another callback" : "the worker";
    }

    private static APIGatewayV2HTTPResponse respond(int status, String text) {
        return HttpApi.text(status, text);
    }
}
