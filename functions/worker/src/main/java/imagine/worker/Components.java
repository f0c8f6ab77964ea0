package imagine.worker;

import imagine.core.AwsClients;
import imagine.core.BlockedTerms;
import imagine.core.Catalog;
import imagine.core.Environment;
import imagine.core.SqsJobQueue;
import imagine.worker.replicate.ReplicateClient;
import imagine.worker.telegram.TelegramClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import okhttp3.OkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The clients a worker-side function needs, built once per execution environment from its variables. */
record Components(JobRunner runner, Failures failures, Delivery delivery, JobStore store, ReplicateClient replicate,
                  SqsClient sqs, String queueUrl, Catalog catalog, OkHttpClient http, TelegramClient telegram) {

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
        String queueUrl = required(env, "JOBS_QUEUE_URL");
        Planner planner = new Planner(store, new SqsJobQueue(sqs, queueUrl), delivery, BlockedTerms.from(env));
        Catalog catalog = Catalog.load();
        S3Presigner.Builder presigner = S3Presigner.builder().serviceConfiguration(S3Configuration.builder()
                .pathStyleAccessEnabled(endpoint != null && !endpoint.isBlank()).build());
        if (endpoint != null && !endpoint.isBlank()) {
            presigner.endpointOverride(URI.create(endpoint));
        }
        MediaStore media = new MediaStore(s3, presigner.build(), bucket);
        JobRunner runner = new JobRunner(store, media, new PhotoInputs(telegram, media), replicate, delivery, planner,
                catalog, Clock.systemUTC(), sleeper);
        Failures failures = new Failures(Long.parseLong(env.getOrDefault("RETRY_FIRST_DELAY_SECONDS", "5").trim()));
        return new Components(runner, failures, delivery, store, replicate, sqs, queueUrl, catalog, http, telegram);
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set");
        }
        return value;
    }
}
