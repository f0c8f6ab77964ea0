package imagine.worker;

import imagine.core.AwsClients;
import imagine.core.BlockedTerms;
import imagine.core.Cancellations;
import imagine.core.Catalog;
import imagine.core.Environment;
import imagine.core.SqsJobQueue;
import imagine.core.telegram.TelegramApi;
import imagine.core.usage.UsageLedger;
import imagine.worker.replicate.ReplicateClient;
import imagine.worker.telegram.TelegramClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import okhttp3.OkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The clients a worker-side function needs, built once per execution environment from its variables. */
record Components(JobRunner runner, Failures failures, Delivery delivery, JobStore store, ReplicateClient replicate,
                  SqsClient sqs, String queueUrl, Catalog catalog, OkHttpClient http, TelegramClient telegram,
                  QuotaRefunds refunds, Completion completion, Albums albums) {
    /** How long a job awaiting its callback waits for its message's check-up, unless CALLBACK_CHECK_SECONDS says. */
    static final long CALLBACK_CHECK_SECONDS = 120;

    static Components fromEnvironment() {
        Map<String, String> env = Environment.variables();
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(75))
                .writeTimeout(Duration.ofSeconds(30))
                .build();
        TelegramClient telegram = new TelegramClient(http,
                TelegramApi.url(env), required(env, "TELEGRAM_BOT_TOKEN"));
        // The callback function only downloads outputs, which need no token, so it is not given one.
        ReplicateClient replicate = new ReplicateClient(http,
                env.getOrDefault("REPLICATE_API_URL", "https://api.replicate.com"),
                env.getOrDefault("REPLICATE_API_TOKEN", ""));
        S3Client s3 = AwsClients.s3(env);
        SqsClient sqs = AwsClients.sqs(env);
        String bucket = required(env, "MEDIA_BUCKET");
        Sleeper sleeper = Thread::sleep;
        Delivery delivery = new Delivery(telegram, new S3ChatPacer(s3, bucket, Clock.systemUTC(), sleeper), sleeper);
        JobStore store = new JobStore(s3, bucket);
        String queueUrl = required(env, "JOBS_QUEUE_URL");
        Catalog catalog = Catalog.load();
        QuotaRefunds refunds = new QuotaRefunds(new UsageLedger(s3, bucket, Clock.systemUTC()), catalog);
        PlanningResults planningResults = new PlanningResults(store, new SqsJobQueue(sqs, queueUrl), delivery, BlockedTerms.from(env),
                refunds);
        MediaStore media = new MediaStore(s3, bucket);
        Albums albums = new Albums(s3, bucket, media, delivery);
        Completion completion = new Completion(store, media, replicate, delivery, planningResults, refunds,
                new Cancellations(s3, bucket), albums, catalog, Clock.systemUTC());
        JobRunner runner = new JobRunner(store, replicate, completion, new PhotoInputs(telegram, media), delivery,
                catalog, Clock.systemUTC(), sleeper, callbackMode(env));
        Failures failures = new Failures(Long.parseLong(env.getOrDefault("RETRY_FIRST_DELAY_SECONDS", "5").trim()));
        return new Components(runner, failures, delivery, store, replicate, sqs, queueUrl, catalog, http, telegram,
                refunds, completion, albums);
    }

    /** Callbacks when PUBLIC_URL is set, polling otherwise. */
    private static JobRunner.CallbackMode callbackMode(Map<String, String> env) {
        String publicUrl = env.getOrDefault("PUBLIC_URL", "").trim();
        if (publicUrl.isEmpty()) {
            return null;
        }
        long checkSeconds = Long.parseLong(env.getOrDefault("CALLBACK_CHECK_SECONDS",
                Long.toString(CALLBACK_CHECK_SECONDS)).trim());
        return new JobRunner.CallbackMode(publicUrl.replaceAll("/+$", "") + "/replicate",
                Duration.ofSeconds(checkSeconds));
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set");
        }
        return value;
    }
}
