package imagine.worker;

import imagine.core.AwsClients;
import imagine.core.Catalog;
import imagine.core.Environment;
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
                  SqsClient sqs, String queueUrl, Completion completion) {
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
                env.getOrDefault("TELEGRAM_API_URL", "https://api.telegram.org"), required(env, "TELEGRAM_BOT_TOKEN"));
        // The callback function only downloads outputs, which need no token, so it is not given one.
        ReplicateClient replicate = new ReplicateClient(http,
                env.getOrDefault("REPLICATE_API_URL", "https://api.replicate.com"),
                env.getOrDefault("REPLICATE_API_TOKEN", ""));
        String endpoint = env.get("AWS_ENDPOINT_URL_S3");
        S3Client s3 = AwsClients.configure(S3Client.builder(), env, "S3")
                .forcePathStyle(endpoint != null && !endpoint.isBlank())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new WithoutExpectContinue()))
                .build();
        SqsClient sqs = AwsClients.configure(SqsClient.builder(), env, "SQS").build();
        String bucket = required(env, "MEDIA_BUCKET");
        Sleeper sleeper = Thread::sleep;
        Delivery delivery = new Delivery(telegram, new S3ChatPacer(s3, bucket, Clock.systemUTC(), sleeper), sleeper);
        JobStore store = new JobStore(s3, bucket);
        Catalog catalog = Catalog.load();
        Completion completion = new Completion(store, new MediaStore(s3, bucket), replicate, delivery, catalog,
                Clock.systemUTC());
        JobRunner runner = new JobRunner(store, replicate, completion, delivery, catalog, Clock.systemUTC(), sleeper,
                callbackMode(env));
        Failures failures = new Failures(Long.parseLong(env.getOrDefault("RETRY_FIRST_DELAY_SECONDS", "5").trim()));
        return new Components(runner, failures, delivery, store, replicate, sqs, required(env, "JOBS_QUEUE_URL"),
                completion);
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
