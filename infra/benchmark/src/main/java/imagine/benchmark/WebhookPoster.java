package imagine.benchmark;

import imagine.local.bot.LocalBot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Delivers updates to the API Gateway stand-in the way Telegram does and times each acknowledgement. */
final class WebhookPoster {
    private static final AtomicLong UPDATE_IDS = new AtomicLong(1_000_000);

    private final URI webhook;
    private final Map<Long, Long> lastUpdate = new ConcurrentHashMap<>();

    WebhookPoster(LocalBot bot) {
        this.webhook = Http.join(bot.platform().apiUrl().toString(), "/telegram");
    }

    /** Nanoseconds from sending the update to the complete 200 answer. */
    long post(long userId, String text) throws IOException, InterruptedException {
        long updateId = UPDATE_IDS.incrementAndGet();
        lastUpdate.put(userId, updateId);
        HttpRequest request = HttpRequest.newBuilder(webhook)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Telegram-Bot-Api-Secret-Token", LocalBot.LOCAL_WEBHOOK_SECRET)
                .POST(HttpRequest.BodyPublishers.ofString(Updates.text(updateId, userId, (int) (updateId % 1_000_000), text)))
                .build();
        long start = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = Http.send(request);
        } catch (IOException closedWhileIdle) {
            // A kept-alive connection the server had just closed: send again on a new one and time that, as
            // Telegram's own retry would.
            start = System.nanoTime();
            response = Http.send(request);
        }
        long nanos = System.nanoTime() - start;
        if (response.statusCode() != 200) {
            throw new IOException("webhook answered " + response.statusCode() + " to update " + updateId);
        }
        return nanos;
    }

    /** The id of the last update sent for the user: its jobs are {@code <update>-<prompt>-<image>}. */
    long lastUpdateId(long userId) {
        return lastUpdate.get(userId);
    }
}
