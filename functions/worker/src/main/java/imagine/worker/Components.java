package imagine.worker;

import imagine.core.AwsClients;
import imagine.core.BlockedTerms;
import imagine.core.Catalog;
import imagine.core.Environment;
import imagine.core.SqsJobQueue;
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
                  QuotaRefunds refunds, Albums albums) {

    static Components fromEnvironment() {
        Map<String, String> env = Environment.variables();
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(75))
                .writeTimeout(Duration.ofSeconds(30))
                .build();
        TelegramClient telegram = new TelegramClient(http,
                env.getOrDefault("TELEGRAM_API_URL", "https://api.telegram.org"), required(env, "TELEGRAM_BOT_TOKEN"));
        ReplicateClient replicate = new ReplicateClient(http,
                env.getOrDefault("REPLICATE_API_URL", "https://api.replicate.com"), required(env, "REPLICATE_API_TOKEN"));
        S3Client s3 = AwsClients.s3(env);
        SqsClient sqs = AwsClients.configure(SqsClient.builder(), env, "SQS").build();
        String bucket = required(env, "MEDIA_BUCKET");
        Sleeper sleeper = Thread::sleep;
        Delivery delivery = new Delivery(telegram, new S3ChatPacer(s3, bucket, Clock.systemUTC(), sleeper), sleeper);
        JobStore store = new JobStore(s3, bucket);
        String queueUrl = required(env, "JOBS_QUEUE_URL");
        Catalog catalog = Catalog.load();
        QuotaRefunds refunds = new QuotaRefunds(new UsageLedger(s3, bucket, Clock.systemUTC()), catalog);
        Planner planner = new Planner(store, new SqsJobQueue(sqs, queueUrl), delivery, BlockedTerms.from(env),
                refunds);
        MediaStore media = new MediaStore(s3, AwsClients.s3Presigner(env), bucket);
        Albums albums = new Albums(s3, bucket, media, delivery);
        JobRunner runner = new JobRunner(store, media, new PhotoInputs(telegram, media), replicate, delivery, planner,
                catalog, Clock.systemUTC(), sleeper, refunds, albums);
        Failures failures = new Failures(Long.parseLong(env.getOrDefault("RETRY_FIRST_DELAY_SECONDS", "5").trim()));
        return new Components(runner, failures, delivery, store, replicate, sqs, queueUrl, catalog, http, telegram,
                refunds, albums);
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set");
        }
        return value;
    }
}
