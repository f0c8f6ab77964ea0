package imagine.benchmark;

import imagine.local.bot.LocalBot;
import imagine.local.lambda.FunctionRuntime;
import imagine.local.lambda.InvocationResult;
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
 * Cost per image on AWS: warm worker invocations of one job each, timed by the local platform, priced with
 * {@link Prices}; callback mode estimated from the same invocations less the time spent waiting for the model.
 */
final class WorkerCost {
    static final int INVOCATIONS = 10;
    private static final String SECTION = "4. cost per image on AWS";
    /** The worker's S3 requests per image on the happy path, counted in JobRunner, JobStore, MediaStore, S3ChatPacer. */
    private static final int S3_PUTS = 6;
    private static final int S3_GETS = 2;
    /** SendMessageBatch of 10 (0.1), plus a receive and a delete shared by a batch of 5 (0.2 each). */
    private static final double SQS_REQUESTS = 0.5;
    private static final int IMAGES_PER_UPDATE = 4;

    private WorkerCost() {
    }

    static List<Row> measure(Path project, LocalBot bot, FanOut fanOut, double modelPrice, String modelName,
            long webhookAckNanos) throws Exception {
        FunctionRuntime worker = bot.platform().function("WorkerFunction");
        List<Long> users = new ArrayList<>();
        for (int i = 0; i < INVOCATIONS; i++) {
            users.add(20_000L + i);
        }
        fanOut.openChats(users);
        Instant start = Instant.now();
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
                if (result.failed() || result.payload().contains("itemIdentifier")) {
                    throw new IllegalStateException("a worker invocation failed: " + result.responseJson());
                }
                durations.add(result.duration().toNanos());
            }
        } finally {
            pool.shutdownNow();
        }
        long workerNanos = Stats.of(durations).median();
        long predictionNanos = Stats.of(bot.replicate().predictions().stream()
                .filter(p -> !p.createdAt().isBefore(start) && p.completedAt() != null)
                .map(p -> Duration.between(p.createdAt(), p.completedAt()).toNanos()).toList()).median();
        double memoryGb = worker.spec().memorySize() / 1024.0;
        double webhookSeconds = webhookAckNanos / 1e9 / IMAGES_PER_UPDATE;
        ImageCost polling = new ImageCost(memoryGb, workerNanos / 1e9, 1, webhookSeconds,
                1.0 / IMAGES_PER_UPDATE, SQS_REQUESTS, S3_PUTS, S3_GETS);
        ImageCost callback = new ImageCost(memoryGb, Math.max(0, workerNanos - predictionNanos) / 1e9, 2,
                webhookSeconds, 1.0 / IMAGES_PER_UPDATE, SQS_REQUESTS, S3_PUTS, S3_GETS);
        Prices prices = Prices.usEast1();
        String basis = "worker " + worker.spec().memorySize() + " MB arm64; " + Prices.SOURCE;
        return List.of(
                Row.of(SECTION, "worker invocation, one job, warm, median of " + INVOCATIONS
                        + " (model latency median " + Stats.millis(predictionNanos) + ")", Stats.millis(workerNanos)),
                row("polling mode (built): worker waits for the prediction", polling, prices, modelPrice, modelName,
                        basis),
                row("callback mode (estimate, not built): worker returns after creating the prediction, a callback "
                        + "invocation stores and sends; measured worker time less the model's latency, 2 invocations",
                        callback, prices, modelPrice, modelName, basis));
    }

    private static Row row(String measure, ImageCost cost, Prices prices, double modelPrice, String modelName,
            String basis) {
        double lambda = cost.lambda(prices);
        double share = lambda / modelPrice * 100;
        return new Row(SECTION, measure + " (webhook share: ack p50 as its duration, 4 images per update; SQS "
                + SQS_REQUESTS + " requests, S3 " + S3_PUTS + " PUT + " + S3_GETS + " GET per image; " + basis + ")",
                String.format(Locale.ROOT, "Lambda $%.7f, all AWS $%.7f per image = %.2f%% / %.2f%% of %s's $%.2f",
                        lambda, cost.total(prices), share, cost.total(prices) / modelPrice * 100, modelName, modelPrice),
                "Lambda < 1% of the model: " + (share < 1 ? "met" : "NOT met"));
    }
}
