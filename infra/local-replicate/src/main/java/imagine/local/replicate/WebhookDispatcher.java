package imagine.local.replicate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Posts signed webhooks, retrying a failed delivery with backoff under the same message id. */
final class WebhookDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final int ATTEMPTS = 5;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final WebhookSigner signer;
    private final ScheduledExecutorService scheduler;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    WebhookDispatcher(WebhookSigner signer, ScheduledExecutorService scheduler) {
        this.signer = signer;
        this.scheduler = scheduler;
    }

    /** @param predictionId names the delivery in logs; webhook URLs often carry secrets, so they are not logged */
    void send(String url, String predictionId, byte[] body) {
        String messageId = Ids.webhookMessageId();
        scheduler.execute(() -> attempt(url, predictionId, body, messageId, 1));
    }

    private void attempt(String url, String predictionId, byte[] body, String messageId, int attempt) {
        long timestamp = System.currentTimeMillis() / 1000;
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .header("webhook-id", messageId)
            .header("webhook-timestamp", Long.toString(timestamp))
            .header("webhook-signature", signer.sign(messageId, timestamp, body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (error == null && response.statusCode() / 100 == 2) {
                return;
            }
            String why = error == null ? "HTTP " + response.statusCode() : error.toString();
            if (attempt >= ATTEMPTS) {
                LOG.warn("webhook {} for prediction {} given up after {} attempts: {}", messageId, predictionId,
                    attempt, why);
                return;
            }
            long delay = FIRST_BACKOFF.toMillis() << (attempt - 1);
            LOG.info("webhook {} for prediction {} failed ({}), retrying in {} ms", messageId, predictionId, why,
                delay);
            try {
                scheduler.schedule(() -> attempt(url, predictionId, body, messageId, attempt + 1), delay,
                    TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                LOG.info("webhook {} for prediction {} dropped: server closing", messageId, predictionId);
            }
        });
    }
}
