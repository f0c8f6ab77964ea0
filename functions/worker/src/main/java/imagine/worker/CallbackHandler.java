package imagine.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import imagine.core.AwsClients;
import imagine.core.Environment;
import imagine.core.HttpApi;
import imagine.core.JobQueue;
import imagine.core.Json;
import imagine.core.Priming;
import imagine.core.S3Documents;
import imagine.core.SqsJobQueue;
import imagine.core.StorageKeys;
import imagine.core.telemetry.Log;
import imagine.worker.replicate.Prediction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /replicate?job=<jobId>}: Replicate's callback for a finished prediction. Verified, matched to the job's
 * record by the recorded prediction id, and handed to a worker as a message that carries the job on, answering at
 * once: storing and sending a video takes longer than the HTTP API waits, and a worker does both for the job however
 * its prediction ended. So the function needs neither the bot's token nor Replicate's.
 *
 * <p>Any 4xx or 5xx makes Replicate send the same callback again for about a minute; the job's own waiting message
 * looks at the prediction at its check-up whatever happens here. Refusals (bad signature, stale, unknown, malformed)
 * are 4xx and change nothing; a callback that comes before the worker recorded the prediction is 409, to be tried
 * again; a job already finished is 200; a hand-over the queue refused is 500.
 */
public final class CallbackHandler implements RequestStreamHandler {
    private final ReplicateSignature signature;
    private final S3Documents<JobRecord> records;
    private final JobQueue queue;
    private final Clock clock;

    public CallbackHandler() {
        this(Environment.variables());
        Priming.register(this::prime, () -> { });
    }

    private CallbackHandler(Map<String, String> env) {
        this(new ReplicateSignature(env.get("REPLICATE_WEBHOOK_SECRET")),
                new S3Documents<>(AwsClients.s3(env), Components.required(env, "MEDIA_BUCKET"), JobRecord.class),
                new SqsJobQueue(AwsClients.sqs(env), Components.required(env, "JOBS_QUEUE_URL")), Clock.systemUTC());
    }

    CallbackHandler(ReplicateSignature signature, S3Documents<JobRecord> records, JobQueue queue, Clock clock) {
        this.signature = signature;
        this.records = records;
        this.queue = queue;
        this.clock = clock;
    }

    /** Reads Lambda's stream itself ({@link HttpApi#read}): a cold start without Lambda's event library is shorter. */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        HttpApi.write(answer(HttpApi.read(input), context), output);
    }

    APIGatewayV2HTTPResponse answer(APIGatewayV2HTTPEvent event, Context context) {
        Log.attach(context);
        Log log = Log.of("stage", "callback");
        Optional<byte[]> read = HttpApi.body(event);
        if (read.isEmpty()) {
            log.warn("refused a callback whose body is not base64", "status", 400);
            return HttpApi.text(400, "unreadable body");
        }
        byte[] body = read.get();
        Optional<String> forged = signature.problem(HttpApi.header(event, "webhook-id").orElse(null),
                HttpApi.header(event, "webhook-timestamp").orElse(null),
                HttpApi.header(event, "webhook-signature").orElse(null), body, clock.instant());
        if (forged.isPresent()) {
            log.warn("refused a callback", "reason", forged.get(), "status", 401);
            return HttpApi.text(401, "unauthorized");
        }
        Prediction prediction;
        try {
            prediction = Json.MAPPER.readValue(body, Prediction.class);
        } catch (IOException e) {
            log.warn("refused a callback whose body is not a prediction", e, "status", 400);
            return HttpApi.text(400, "not a prediction");
        }
        Optional<String> jobId = HttpApi.query(event, "job");
        if (jobId.isEmpty() || prediction == null || prediction.id() == null) {
            log.warn("refused a callback without a job or a prediction id", "status", 400);
            return HttpApi.text(400, "no job or prediction");
        }
        log = log.and("job_id", jobId.get(), "prediction_id", prediction.id());
        Optional<JobRecord> found = jobId.get().matches("[0-9A-Za-z-]{1,128}")
                ? records.get(StorageKeys.job(jobId.get())) : Optional.empty();
        if (found.isEmpty() || found.get().job() == null) {
            log.warn("refused a callback for an unknown job", "status", 404);
            return HttpApi.text(404, "unknown job");
        }
        JobRecord record = found.get();
        if (record.isFinished()) {
            log.info("callback for a finished job", "status", 200);
            return HttpApi.text(200, "finished");
        }
        if (record.predictionId() == null) {
            log.info("callback before its prediction was recorded; Replicate will retry", "status", 409);
            return HttpApi.text(409, "not recorded yet");
        }
        if (!record.predictionId().equals(prediction.id())) {
            log.warn("refused a callback for a prediction that is not the job's", "status", 404);
            return HttpApi.text(404, "unknown prediction");
        }
        if (!prediction.isTerminal()) {
            return HttpApi.text(200, "not finished");
        }
        try {
            queue.enqueue(List.of(record.job().carriedFor(record.owner())));
        } catch (RuntimeException e) {
            log.warn("callback could not be handed to a worker; Replicate will retry", e, "status", 500);
            return HttpApi.text(500, "not handed over");
        }
        log.info("callback handed to a worker", "status", 200, "prediction_status", prediction.status().wireName(),
                "user_id", record.job().userId(), "model", record.job().model());
        return HttpApi.text(200, "handed over");
    }

    /**
     * SnapStart priming: a callback's path with nothing to act on. A signature is checked (and refused), a
     * prediction read, the record of a job that does not exist read, and the SQS client's request path run once
     * with an empty batch SQS refuses.
     */
    void prime() {
        byte[] body = "{\"id\":\"priming\",\"status\":\"succeeded\"}".getBytes(StandardCharsets.UTF_8);
        signature.problem("msg_priming", Long.toString(clock.instant().getEpochSecond()), "v1,cHJpbWluZw==", body,
                clock.instant());
        try {
            Json.MAPPER.readValue(body, Prediction.class);
            records.get(StorageKeys.job("priming-0-0"));
            if (queue instanceof SqsJobQueue sqs) {
                sqs.warmUp();
            }
        } catch (IOException | RuntimeException noNetwork) {
            // Where the snapshot is taken without network the requests fail; what ran before them is kept.
        }
    }
}
