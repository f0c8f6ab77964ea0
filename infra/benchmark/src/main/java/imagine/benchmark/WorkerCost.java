package imagine.benchmark;

import imagine.local.bot.LocalBot;
import imagine.local.lambda.FunctionRuntime;
import imagine.local.lambda.InvocationResult;
import imagine.local.s3.S3Requests;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Cost per image on AWS, priced with {@link Prices}: warm worker invocations of one job each in callback mode
 * (the template's production path), timed by the local platform, and the callback invocations that hand the
 * finished jobs to a worker. Polling mode is priced from the same invocations plus the model's latency, which a polling worker
 * spends waiting.
 */
final class WorkerCost {
    static final int INVOCATIONS = 10;
    private static final String SECTION = "4. cost per image on AWS";
    /**
     * The webhook's S3 requests per update, shared by its images: the user's settings and day read, the day counted
     * (SettingsAndQuotasTest pins them). The worker's and the callback function's are counted by the local S3 in the run.
     */
    private static final int WEBHOOK_S3_PUTS = 1;
    private static final int WEBHOOK_S3_GETS = 2;
    /** The check-up, two minutes on, reads the record of a job delivered long before: after this run has measured. */
    private static final int CHECK_UP_S3_GETS = 1;
    /** SendMessageBatch of 10 (0.1), plus a receive and a delete shared by a batch of 5 (0.2 each). */
    private static final double SQS_REQUESTS = 0.5;
    private static final int IMAGES_PER_UPDATE = 4;
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);

    private WorkerCost() {
    }

    static List<Row> measure(Path project, LocalBot bot, FanOut fanOut, double modelPrice, String modelName,
            long webhookAckNanos) throws Exception {
        FunctionRuntime worker = bot.platform().function("WorkerFunction");
        FunctionRuntime callback = bot.platform().function("CallbackFunction");
        List<Long> users = new ArrayList<>();
        for (int i = 0; i < INVOCATIONS; i++) {
            users.add(20_000L + i);
        }
        fanOut.openChats(users);
        Instant start = Instant.now();
        long callbackBilledBefore = callback.billed().toNanos();
        long callbacksBefore = callback.invocations();
        S3Requests.Counts s3Before = bot.platform().s3Requests();
        ExecutorService pool = Executors.newFixedThreadPool(INVOCATIONS);
        List<Long> durations = new ArrayList<>();
        try {
            List<Future<InvocationResult>> calls = new ArrayList<>();
            for (long user : users) {
                String event = Updates.sqsJobEvent(project, "77" + user + "-0-0", user);
                calls.add(pool.submit(() -> worker.execute(event)));
            }
            for (Future<InvocationResult> call : calls) {
                InvocationResult result = call.get();
                // The message is handed back to come again for the check-up: a batch item failure by design.
                if (result.failed() || !result.payload().contains("itemIdentifier")) {
                    throw new IllegalStateException("a worker invocation did not await its callback: "
                            + result.responseJson());
                }
                durations.add(result.duration().toNanos());
            }
        } finally {
            pool.shutdownNow();
        }
        for (long user : users) {
            bot.telegram().awaitBotMessage(user, message -> message.isPhoto(), DELIVERY_TIMEOUT);
        }
        S3Requests.Counts s3 = bot.platform().s3Requests().minus(s3Before);
        // S3 prices LIST with PUT, and every other request but DELETE (free) with GET.
        double s3Puts = (s3.of("PutObject") + s3.of("ListObjectsV2")) / (double) INVOCATIONS
                + WEBHOOK_S3_PUTS / (double) IMAGES_PER_UPDATE;
        double s3Gets = (s3.total() - s3.of("PutObject") - s3.of("ListObjectsV2") - s3.of("DeleteObject"))
                / (double) INVOCATIONS + WEBHOOK_S3_GETS / (double) IMAGES_PER_UPDATE + CHECK_UP_S3_GETS;
        long callbacks = callback.invocations() - callbacksBefore;
        long callbackNanos = (callback.billed().toNanos() - callbackBilledBefore) / Math.max(1, callbacks);
        long createNanos = Stats.of(durations).median();
        long predictionNanos = Stats.of(bot.replicate().predictions().stream()
                .filter(p -> !p.createdAt().isBefore(start) && p.completedAt() != null)
                .map(p -> Duration.between(p.createdAt(), p.completedAt()).toNanos()).toList()).median();
        double memoryGb = worker.spec().memorySize() / 1024.0;
        double webhookSeconds = webhookAckNanos / 1e9 / IMAGES_PER_UPDATE;
        // Create, the callback's hand-over, the worker that stores and sends, and the check-up that finds the job
        // delivered (the last two priced like a create: this measures worker invocations only as creates).
        ImageCost callbackMode = new ImageCost(memoryGb, (3 * createNanos + callbackNanos) / 1e9, 4, webhookSeconds,
                1.0 / IMAGES_PER_UPDATE, SQS_REQUESTS, s3Puts, s3Gets);
        ImageCost polling = new ImageCost(memoryGb, (createNanos + predictionNanos + callbackNanos) / 1e9, 1,
                webhookSeconds, 1.0 / IMAGES_PER_UPDATE, SQS_REQUESTS, s3Puts, s3Gets);
        Prices prices = Prices.usEast1();
        String basis = "worker " + worker.spec().memorySize() + " MB arm64; " + Prices.SOURCE;
        return List.of(
                Row.of(SECTION, "warm invocations per image, median of " + INVOCATIONS + ": worker creating the "
                                + "prediction / callback handing the job to a worker (" + callbacks + " callbacks; model latency "
                                + "median " + Stats.millis(predictionNanos) + ")",
                        Stats.millis(createNanos) + " / " + Stats.millis(callbackNanos)),
                row("callback mode (built, the default with PublicUrl): 4 invocations, create + callback + store and send "
                                + "+ check-up",
                        callbackMode, prices, modelPrice, modelName, basis),
                row("polling mode (without PublicUrl; estimate: the same work plus the model's latency spent "
                        + "waiting, 1 invocation)", polling, prices, modelPrice, modelName, basis));
    }

    private static Row row(String measure, ImageCost cost, Prices prices, double modelPrice, String modelName,
            String basis) {
        double lambda = cost.lambda(prices);
        double share = lambda / modelPrice * 100;
        return new Row(SECTION, measure + String.format(Locale.ROOT, " (webhook share: ack p50 as its duration, "
                        + "4 images per update; SQS %s requests, S3 %.1f PUT or LIST + %.1f GET per image, counted; %s)",
                        SQS_REQUESTS, cost.s3Puts(), cost.s3Gets(), basis),
                String.format(Locale.ROOT, "Lambda $%.7f, all AWS $%.7f per image = %.2f%% / %.2f%% of %s's $%.2f",
                        lambda, cost.total(prices), share, cost.total(prices) / modelPrice * 100, modelName, modelPrice),
                "Lambda < 1% of the model: " + (share < 1 ? "met" : "NOT met"));
    }
}
