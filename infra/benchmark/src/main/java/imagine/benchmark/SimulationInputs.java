package imagine.benchmark;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;

/**
 * What the simulation is fed; times in seconds. {@link #deployed} names the source of each figure: measured by
 * this benchmark (infra/benchmark/RESULTS.md), published by AWS, Replicate or Telegram, set by template.yaml or
 * the functions' code, or assumed where nothing here measures it.
 *
 * @param modelLatency       L, how long the model takes to draw an image
 * @param webhookWarm        a warm webhook invocation for one update
 * @param workerCreateWarm   a warm worker invocation that creates a prediction (also the callback mode's check-up)
 * @param finishWarm         a worker storing and sending a finished prediction, pacing waits apart
 * @param handOverWarm       the callback function verifying a callback and handing the job to a worker
 * @param webhookFirstEvent  the webhook's first event in a restored environment (after the priming hooks)
 * @param workerFirstEvent   the worker's first event in a restored environment
 * @param callbackFirstEvent the callback function's first event in a restored environment
 * @param snapStartRestore   restoring an environment from its SnapStart snapshot
 * @param webhookS3Calls     S3 calls of the webhook per update
 * @param createS3Calls      S3 calls of the worker per image before and after it creates the prediction
 * @param finishS3Calls      S3 calls per image to store and send a finished prediction
 * @param awsCall            one S3 or SQS call from Lambda, in the region
 * @param remoteCall         one call between AWS and Replicate or Telegram (an upload or download included)
 * @param remoteBurst        how many seconds of their rates Replicate and Telegram let through at once
 * @param batchSize          SQS messages per worker invocation
 * @param pollersAtStart     batches the SQS event source runs at once when messages appear
 * @param maxReceiveCount    receives before SQS moves a message to the dead-letter queue
 * @param maxWaits           how often a job may go back on the queue to wait before that counts as a failure
 * @param firstBackoff       the worker's backoff after a first failure; it doubles with each further one (for a job
 *                           Replicate's rate refused again: the ceiling of its random wait)
 * @param maxRateLimitedWait the longest wait of a job Replicate's rate refused again, unless Replicate asks longer
 * @param callbackCheck      how long a job awaiting its callback stays hidden before the worker's check-up
 * @param originPollInterval how often the origin's Replicate client asks whether a prediction is done
 * @param limits             each limit's value ({@link Double#POSITIVE_INFINITY} when lifted)
 */
record SimulationInputs(
        double modelLatency,
        double webhookWarm,
        double workerCreateWarm,
        double finishWarm,
        double handOverWarm,
        double webhookFirstEvent,
        double workerFirstEvent,
        double callbackFirstEvent,
        double snapStartRestore,
        int webhookS3Calls,
        int createS3Calls,
        int finishS3Calls,
        double awsCall,
        double remoteCall,
        double remoteBurst,
        int batchSize,
        int pollersAtStart,
        int maxReceiveCount,
        int maxWaits,
        double firstBackoff,
        double maxRateLimitedWait,
        double callbackCheck,
        double originPollInterval,
        Map<Limit, Double> limits) {

    SimulationInputs {
        if (!limits.keySet().containsAll(EnumSet.allOf(Limit.class))) {
            throw new IllegalArgumentException("every limit needs a value: " + limits.keySet());
        }
        limits = Collections.unmodifiableMap(new EnumMap<>(limits));
    }

    /** The system as template.yaml deploys it, with the figures of the latest benchmark run. */
    static SimulationInputs deployed(double modelLatency) {
        Map<Limit, Double> limits = new EnumMap<>(Limit.class);
        // https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html: 1,000 by default per Region.
        limits.put(Limit.LAMBDA_ACCOUNT_CONCURRENCY, 1000.0);
        // https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html: 1,000 environments every 10 s per
        // function, refilled continuously.
        limits.put(Limit.LAMBDA_SCALING_RATE, 100.0);
        // template.yaml: WorkerMaximumConcurrency, default 50.
        limits.put(Limit.WORKER_MAXIMUM_CONCURRENCY, 50.0);
        // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html: five batches, then up to 300
        // more a minute.
        limits.put(Limit.SQS_POLLER_SCALING, 5.0);
        // template.yaml: HttpApi DefaultRouteSettings, ThrottlingRateLimit 100, ThrottlingBurstLimit 200, a token
        // bucket per route (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html).
        limits.put(Limit.API_GATEWAY_THROTTLING, 100.0);
        // Registration (functions/worker) calls setWebhook with max_connections 100.
        limits.put(Limit.TELEGRAM_WEBHOOK_CONNECTIONS, 100.0);
        // https://replicate.com/docs/topics/predictions/rate-limits: 600 creates a minute, 3000 other calls.
        limits.put(Limit.REPLICATE_CREATE_RATE, 10.0);
        limits.put(Limit.REPLICATE_OTHER_RATE, 50.0);
        // https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this: about 30 messages a
        // second in all, one a second per chat.
        limits.put(Limit.TELEGRAM_PER_BOT, 30.0);
        limits.put(Limit.TELEGRAM_PER_CHAT, 1.0);
        // /work/shared/seed-en.md: before its fix, the loop drew one image at a time for everyone.
        limits.put(Limit.ORIGIN_ONE_AT_A_TIME, 1.0);
        return new SimulationInputs(
                modelLatency,
                // RESULTS.md (run 2026-11-24), section 3: webhook ack p50 in the one-image wave.
                0.006958,
                // RESULTS.md (run 2026-11-24), section 4: a warm worker creating the prediction.
                0.193,
                // Assumed the same as a create: a warm worker storing and sending (its S3 and remote calls are
                // counted apart); the benchmark times the worker's invocations only as a whole.
                0.193,
                // RESULTS.md (run 2026-11-24), section 4: a warm callback invocation (now the hand-over).
                0.161,
                // RESULTS.md (run of 2026-11-26, 15:19), section 2: first event after the CRaC priming hooks (each
                // hot path up to 200 rounds), webhook / worker / callback function.
                0.144,
                0.197,
                0.121,
                // Cold start p50 of AWS's lightest SnapStart sample (Quarkus, Java 17; first request included):
                // https://github.com/aws-samples/serverless-java-frameworks-samples#results-from-managed-java-runtime-with-snapstart-enabled-lambda-functions
                0.487,
                // The webhook reads the user's settings and counts the day's quota (a read and a conditional write).
                3,
                // Counted by the local S3 (RESULTS.md, section 7, "S3 requests per image", 2026-11-26): the worker
                // that creates claims the job, looks for a cancel twice, records creating, the prediction and where
                // /cancel finds it, and lets the job go (7); the one that finishes takes the job back, stores the
                // output, its record and the result's, paces the send for the chat (2) and the bot (5), and records
                // it delivered and counted (16). The callback's read of the record and the check-up's are left out.
                7,
                16,
                // Assumed: "tens of milliseconds" median for small S3 requests,
                // https://docs.aws.amazon.com/whitepapers/latest/s3-optimizing-performance-best-practices/timeouts-and-retries-for-latency-sensitive-applications.html
                0.020,
                // Assumed, not measured: a round trip from us-east-1 to Replicate's or Telegram's API with a small
                // image in it.
                0.200,
                // Assumed: Replicate allows "short bursts of requests above the default rate limits" without saying
                // how long, Telegram "short bursts" in a chat; one second of the rate.
                1,
                // template.yaml: WorkerFunction's SQS event, BatchSize 5.
                5,
                // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
                5,
                // template.yaml: JobsQueue RedrivePolicy maxReceiveCount 5.
                5,
                // WorkerTimings.DEFAULTS.maxWaits.
                100,
                // template.yaml: RetryFirstDelaySeconds, default 5 (the worker's RETRY_FIRST_DELAY_SECONDS).
                5,
                // Failures.MAX_RATE_LIMITED_WAIT_SECONDS.
                60,
                // Components.CALLBACK_CHECK_SECONDS.
                120,
                // replicate-python's Client: REPLICATE_POLL_INTERVAL, default 0.5 s.
                0.5,
                limits);
    }

    double limit(Limit limit) {
        return limits.get(limit);
    }

    /** These inputs with {@code limit} gone. */
    SimulationInputs lifted(Limit limit) {
        return with(limit, Double.POSITIVE_INFINITY);
    }

    SimulationInputs with(Limit limit, double value) {
        Map<Limit, Double> changed = new EnumMap<>(limits);
        changed.put(limit, value);
        return new SimulationInputs(modelLatency, webhookWarm, workerCreateWarm, finishWarm, handOverWarm,
                webhookFirstEvent, workerFirstEvent, callbackFirstEvent, snapStartRestore, webhookS3Calls,
                createS3Calls, finishS3Calls, awsCall, remoteCall, remoteBurst, batchSize, pollersAtStart,
                maxReceiveCount, maxWaits, firstBackoff, maxRateLimitedWait, callbackCheck, originPollInterval, changed);
    }
}
