package imagine.worker;

import imagine.core.AwsClients;
import imagine.core.BlockedTerms;
import imagine.core.Cancellations;
import imagine.core.Catalog;
import imagine.core.Environment;
import imagine.core.QueueDepth;
import imagine.core.S3Documents;
import imagine.core.telegram.TelegramApi;
import imagine.core.usage.DailyCounts;
import imagine.core.usage.DailySpend;
import imagine.core.usage.UsageLedger;
import imagine.worker.replicate.ReplicateClient;
import imagine.worker.telegram.TelegramClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import okhttp3.OkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What the worker and the dead-letter function work with, assembled in this one place: from the environment once per
 * execution environment, or from a test's stand-ins.
 */
record Components(JobRun run, Cancels cancels, Failures failures, Jobs jobs, Predictions predictions,
                  Endings endings, WorkQueue queue, Catalog catalog, TelegramClient telegram,
                  S3Documents<JobRecord> records, WorkerTimings timings, OkHttpClient http, JobReports reports) {
    static final String REPLICATE_API_URL = "https://api.replicate.com";

    /**
     * What the functions reach outside themselves, and the settings they run with.
     *
     * @param callbacks              null to wait for every prediction by polling
     * @param telegramSendsPerSecond the messages all workers together send Telegram a second at most
     *                               ({@code TELEGRAM_SENDS_PER_SECOND})
     * @param budgetMicroUsd         the day's budget (DAILY_BUDGET_USD) the webhook counts prompts against; 0 for none
     * @param queues                 the queues' depths, for /stats
     */
    record Outside(OkHttpClient http, TelegramClient telegram, ReplicateClient replicate, S3Client s3, String bucket,
                   WorkQueue queue, int telegramSendsPerSecond, Clock clock, Sleeper sleeper, WorkerTimings timings,
                   Predictions.CallbackMode callbacks, BlockedTerms blocked, long firstBackoffSeconds,
                   long budgetMicroUsd, Queues queues) {

        /** Without a daily budget, and without the queues' depths. */
        Outside(OkHttpClient http, TelegramClient telegram, ReplicateClient replicate, S3Client s3, String bucket,
                WorkQueue queue, int telegramSendsPerSecond, Clock clock, Sleeper sleeper, WorkerTimings timings,
                Predictions.CallbackMode callbacks, BlockedTerms blocked, long firstBackoffSeconds) {
            this(http, telegram, replicate, s3, bucket, queue, telegramSendsPerSecond, clock, sleeper, timings,
                    callbacks, blocked, firstBackoffSeconds, 0, Queues.UNKNOWN);
        }
    }

    static Components fromEnvironment() {
        Map<String, String> env = Environment.variables();
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(75))
                .writeTimeout(Duration.ofSeconds(30))
                .build();
        S3Client s3 = AwsClients.s3(env);
        SqsClient sqs = AwsClients.sqs(env);
        String bucket = required(env, "MEDIA_BUCKET");
        String jobsQueue = required(env, "JOBS_QUEUE_URL");
        String deadLetters = env.getOrDefault("DEAD_LETTER_QUEUE_URL", "");
        return assemble(new Outside(http,
                new TelegramClient(http, TelegramApi.url(env), required(env, "TELEGRAM_BOT_TOKEN")),
                new ReplicateClient(http, env.getOrDefault("REPLICATE_API_URL", REPLICATE_API_URL),
                        required(env, "REPLICATE_API_TOKEN")),
                s3, bucket, new SqsWorkQueue(sqs, jobsQueue),
                Integer.parseInt(env.getOrDefault("TELEGRAM_SENDS_PER_SECOND",
                        Integer.toString(TelegramSendSlots.DEFAULT_PER_SECOND)).trim()),
                Clock.systemUTC(), Thread::sleep, WorkerTimings.from(env), callbackMode(env), BlockedTerms.from(env),
                Long.parseLong(env.getOrDefault("RETRY_FIRST_DELAY_SECONDS", "5").trim()),
                DailySpend.budgetFrom(env.get("DAILY_BUDGET_USD")),
                () -> new Queues.Depths(QueueDepth.of(sqs, jobsQueue),
                        deadLetters.isBlank() ? QueueDepth.UNKNOWN : QueueDepth.of(sqs, deadLetters))));
    }

    static Components assemble(Outside outside) {
        S3Client s3 = outside.s3();
        String bucket = outside.bucket();
        Catalog catalog = Catalog.load();
        MediaStore media = new MediaStore(s3, bucket);
        ChatPacer pacer = new S3ChatPacer(s3, bucket,
                new TelegramSendSlots(s3, bucket, outside.telegramSendsPerSecond(), outside.clock()), outside.clock(),
                outside.sleeper());
        Delivery delivery = new Delivery(outside.telegram(), pacer, outside.sleeper(), media);
        DailySpend spend = new DailySpend(s3, bucket, outside.budgetMicroUsd());
        DailyCounts counts = new DailyCounts(s3, bucket, outside.clock());
        QuotaRefunds refunds = new QuotaRefunds(new UsageLedger(s3, bucket, outside.clock()), spend, catalog);
        Albums albums = new Albums(s3, bucket, media, delivery);
        S3Documents<JobRecord> records = new S3Documents<>(s3, bucket, JobRecord.class);
        S3Documents<Jobs.RunningPrediction> running = new S3Documents<>(s3, bucket, Jobs.RunningPrediction.class);
        Jobs jobs = new Jobs(records, running, refunds, albums, delivery, catalog, outside.clock(), outside.timings());
        Endings endings = new Endings(catalog);
        Cancellations cancellations = new Cancellations(s3, bucket);
        Predictions predictions = new Predictions(outside.replicate(), new ModelInputs(outside.telegram(), media),
                cancellations, delivery, endings, outside.clock(), outside.sleeper(), outside.timings(),
                outside.callbacks());
        PlanningResults planning = new PlanningResults(outside.queue(), delivery, outside.blocked(), refunds, endings);
        JobReports reports = new JobReports(counts, outside.clock());
        JobRun run = new JobRun(jobs, predictions, planning, endings, cancellations, media, outside.replicate(),
                delivery, albums, catalog, new UserDataEraser(s3, bucket, outside.clock()), outside.timings(),
                reports, new DailyReport(counts, spend, outside.queues(), catalog));
        return new Components(run, new Cancels(s3, bucket, running, predictions),
                new Failures(outside.firstBackoffSeconds()), jobs, predictions, endings, outside.queue(), catalog,
                outside.telegram(), records, outside.timings(), outside.http(), reports);
    }

    /** Callbacks when PUBLIC_URL is set, polling otherwise. */
    private static Predictions.CallbackMode callbackMode(Map<String, String> env) {
        String publicUrl = env.getOrDefault("PUBLIC_URL", "").trim();
        return publicUrl.isEmpty() ? null : new Predictions.CallbackMode(publicUrl.replaceAll("/+$", "") + "/replicate");
    }

    static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set");
        }
        return value;
    }
}
