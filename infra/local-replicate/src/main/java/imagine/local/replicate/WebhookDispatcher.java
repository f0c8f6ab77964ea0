package imagine.local.replicate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts signed webhooks as Replicate does: the final one ("completed") is retried on a failed request, 4xx or
 * 5xx, with exponential backoff, under the same webhook id, the last retry about a minute after the first
 * attempt; intermediate ones are sent once.
 */
final class WebhookDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final int ATTEMPTS = 7;
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final WebhookSigner signer;
    private final ScheduledExecutorService scheduler;
    private final Supplier<WebhookCue> cue;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final Map<String, CompletableFuture<Void>> firstAnswers = new ConcurrentHashMap<>();
    private final List<WebhookDelivery> deliveries = new CopyOnWriteArrayList<>();

    WebhookDispatcher(WebhookSigner signer, ScheduledExecutorService scheduler, Supplier<WebhookCue> cue) {
        this.signer = signer;
        this.scheduler = scheduler;
        this.cue = cue;
    }

    /** @param predictionId names the delivery in logs; webhook URLs often carry secrets, so they are not logged */
    void send(String url, String predictionId, String event, byte[] body) {
        String messageId = Ids.webhookMessageId();
        boolean last = "completed".equals(event);
        WebhookCue now = last ? cue.get() : WebhookCue.NORMAL;
        Runnable first = () -> attempt(url, predictionId, body, messageId, 1, last ? ATTEMPTS : 1, now.copies());
        try {
            scheduler.schedule(first, now.delay().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            LOG.info("webhook {} for prediction {} dropped: server closing", messageId, predictionId);
        }
    }

    /** Every post so far, with its answer, in the order the answers came. */
    List<WebhookDelivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** Completes once the first attempt of the prediction's completed webhook has been answered, or has failed. */
    CompletableFuture<Void> firstAnswer(String predictionId) {
        return firstAnswers.computeIfAbsent(predictionId, id -> new CompletableFuture<>());
    }

    private void attempt(String url, String predictionId, byte[] body, String messageId, int attempt, int attempts,
                         int copies) {
        long timestamp = System.currentTimeMillis() / 1000;
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .header("webhook-id", messageId)
            .header("webhook-timestamp", Long.toString(timestamp))
            .header("webhook-signature", signer.sign(messageId, timestamp, body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
        String event = attempts > 1 ? "completed" : "intermediate";
        for (int copy = 1; copy < copies; copy++) {
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) ->
                deliveries.add(new WebhookDelivery(predictionId, messageId, event, attempt,
                    error == null ? response.statusCode() : -1)));
        }
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            deliveries.add(new WebhookDelivery(predictionId, messageId, event, attempt,
                error == null ? response.statusCode() : -1));
            if (attempts > 1 && attempt == 1) {
                firstAnswer(predictionId).complete(null);
            }
            if (error == null && response.statusCode() / 100 == 2) {
                return;
            }
            String why = error == null ? "HTTP " + response.statusCode() : error.toString();
            if (attempt >= attempts) {
                LOG.warn("webhook {} for prediction {} given up after {} attempts: {}", messageId, predictionId,
                    attempt, why);
                return;
            }
            long delay = FIRST_BACKOFF.toMillis() << (attempt - 1);
            LOG.info("webhook {} for prediction {} failed ({}), retrying in {} ms", messageId, predictionId, why,
                delay);
            try {
                scheduler.schedule(() -> attempt(url, predictionId, body, messageId, attempt + 1, attempts, copies),
                    delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                LOG.info("webhook {} for prediction {} dropped: server closing", messageId, predictionId);
            }
        });
    }
}
