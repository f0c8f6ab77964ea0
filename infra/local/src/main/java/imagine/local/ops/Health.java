package imagine.local.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imagine.core.QueueDepth;
import imagine.core.usage.DailyCounts;
import imagine.core.usage.DailySpend;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * How the bot is doing, as {@code infra/imagine status} prints it and the operations page shows it: Telegram's view of
 * the webhook, the queues' depths, predictions in flight (their marks under {@code running/}), and today's counts and
 * spend (from the bucket, where the functions keep them).
 *
 * @param webhook   Telegram's getWebhookInfo; unknown without the bot's token
 * @param spent     the day's spend and the budget it runs against (0: none)
 */
public record Health(String day, Webhook webhook, QueueDepth jobs, QueueDepth deadLetters, long predictionsInFlight,
                     Map<String, Long> counts, DailySpend.Spent spent) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param url           where Telegram delivers; empty when no webhook is set (the bot long-polls, or nothing runs)
     * @param lastErrorDate Unix time of Telegram's last failed delivery, 0 when it reported none
     */
    public record Webhook(boolean known, String url, int pendingUpdates, long lastErrorDate, String lastError) {
        public static final Webhook UNKNOWN = new Webhook(false, "", 0, 0, "");
    }

    /**
     * Where to look.
     *
     * @param telegramApi    the Bot API's base URL
     * @param botToken       null when not given: Telegram is not asked
     * @param budgetMicroUsd the day's budget as configured; negative when unknown (then the one recorded today)
     */
    public record Sources(URI telegramApi, String botToken, SqsClient sqs, String jobsQueueUrl,
                          String deadLetterQueueUrl, S3Client s3, String bucket, long budgetMicroUsd, Clock clock) {
    }

    public static Health read(Sources sources) throws IOException, InterruptedException {
        DailyCounts counts = new DailyCounts(sources.s3(), sources.bucket(), sources.clock());
        String day = counts.today();
        DailySpend spend = new DailySpend(sources.s3(), sources.bucket(), Math.max(0, sources.budgetMicroUsd()));
        DailySpend.Spent spent = sources.budgetMicroUsd() < 0 ? spend.recorded(day) : spend.spent(day);
        return new Health(day, webhook(sources.telegramApi(), sources.botToken()),
                QueueDepth.of(sources.sqs(), sources.jobsQueueUrl()),
                QueueDepth.of(sources.sqs(), sources.deadLetterQueueUrl()),
                running(sources.s3(), sources.bucket()), counts.read(day).counts(), spent);
    }

    /** Telegram's getWebhookInfo; the token goes only into the request, never into an error. */
    static Webhook webhook(URI telegramApi, String token) throws InterruptedException {
        if (token == null || token.isBlank()) {
            return Webhook.UNKNOWN;
        }
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(telegramApi.toString().replaceAll("/+$", "") + "/bot" + token + "/getWebhookInfo"))
                    .timeout(Duration.ofSeconds(15)).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode info = JSON.readTree(response.body()).path("result");
            return new Webhook(true, info.path("url").asText(""), info.path("pending_update_count").asInt(),
                    info.path("last_error_date").asLong(0), info.path("last_error_message").asText(""));
        } catch (IOException | IllegalArgumentException e) {
            return Webhook.UNKNOWN;
        }
    }

    private static long running(S3Client s3, String bucket) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("running/")).contents().stream().count();
    }

    /** What {@code infra/imagine status} prints. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        if (!webhook.known()) {
            lines.add("Telegram webhook: not asked (set TELEGRAM_BOT_TOKEN to ask Telegram)");
        } else {
            lines.add("Telegram webhook: " + (webhook.url().isEmpty() ? "none set" : webhook.url()) + ", "
                    + webhook.pendingUpdates() + " pending update(s), last error: "
                    + (webhook.lastErrorDate() == 0 ? "none"
                    : webhook.lastError() + " at " + Instant.ofEpochSecond(webhook.lastErrorDate())));
        }
        lines.add("Jobs queue: " + depth(jobs));
        lines.add("Dead-letter queue: " + depth(deadLetters));
        lines.add("Predictions in flight: " + predictionsInFlight);
        lines.add("Today (" + day + ", UTC): " + (counts.isEmpty() ? "nothing counted yet" : String.join(", ",
                counts.entrySet().stream().map(count -> count.getKey() + " " + count.getValue()).toList())));
        lines.add("Spent today: " + usd(spent.usd()) + (spent.budgetMicroUsd() > 0
                ? " of " + usd(spent.budgetUsd()) + " (" + Math.round(100.0 * spent.microUsd() / spent.budgetMicroUsd())
                + "%)" : ", no budget recorded"));
        return lines;
    }

    private static String depth(QueueDepth depth) {
        return depth.waiting() + " waiting, " + depth.inFlight() + " in progress, " + depth.delayed() + " delayed";
    }

    private static String usd(double dollars) {
        return String.format(Locale.ROOT, "$%.2f", dollars);
    }
}
