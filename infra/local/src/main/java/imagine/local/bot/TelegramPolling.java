package imagine.local.bot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the bot against the real Telegram from a machine with no public URL: removes the webhook,
 * long-polls getUpdates and hands each update to the local webhook exactly as a webhook delivery
 * would (secret header, and a method in the response body is executed), retrying an update the
 * webhook failed before taking the next, as Telegram does. Like Telegram, it runs the method in the
 * response once and lets it fail: an update the webhook has taken is done.
 */
final class TelegramPolling implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TelegramPolling.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int POLL_SECONDS = 25;
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI botApi;
    private final URI webhook;
    private final String secret;
    private final boolean takeOver;
    private final String deployedSecret;
    private final Thread thread;
    private volatile boolean running = true;
    /** The webhook this run took over (its URL and update kinds), to put back at the end; null when none was set. */
    private volatile JsonNode takenOver;

    /**
     * @param takeOver       whether a webhook that is set (a deployed bot's) may be removed; otherwise starting fails
     * @param deployedSecret the deployed webhook's secret, if the user gave it: with it the webhook is put back at the
     *                       end (Telegram never tells a webhook's secret); null otherwise
     */
    TelegramPolling(URI telegramApi, String token, URI webhook, String secret, boolean takeOver,
                    String deployedSecret) {
        this.botApi = URI.create(telegramApi.toString().replaceAll("/+$", "") + "/bot" + token + "/");
        this.webhook = webhook;
        this.secret = secret;
        this.takeOver = takeOver;
        this.deployedSecret = deployedSecret;
        this.thread = new Thread(this::poll, "telegram-polling");
        this.thread.setDaemon(true);
    }

    /**
     * Long polling and a webhook exclude each other: a bot whose webhook is set is deployed, and removing the webhook
     * would take it away from its deployment. So a set webhook is removed only when the user asked for it.
     */
    void start() throws IOException, InterruptedException {
        JsonNode info = call("getWebhookInfo", JSON.createObjectNode());
        String url = info.path("url").asText("");
        if (!url.isEmpty()) {
            if (!takeOver) {
                throw new WebhookInUse(url);
            }
            takenOver = info;
            LOG.warn("Took this bot over from its webhook at {}; {}", url, deployedSecret == null
                    ? "it stays removed when this run stops: " + WebhookInUse.REREGISTER
                    : "it is put back when this run stops");
        }
        call("deleteWebhook", JSON.createObjectNode());
        thread.start();
    }

    private void poll() {
        long offset = 0;
        Duration backoff = Duration.ofSeconds(1);
        while (running) {
            try {
                ObjectNode params = JSON.createObjectNode().put("offset", offset).put("timeout", POLL_SECONDS);
                LocalBot.UPDATE_KINDS.forEach(params.putArray("allowed_updates")::add);
                for (JsonNode update : call("getUpdates", params)) {
                    deliver(update);
                    offset = update.get("update_id").asLong() + 1;
                }
                backoff = Duration.ofSeconds(1);
            } catch (IOException e) {
                LOG.warn("Telegram polling failed ({}); trying again in {} s", e.getClass().getSimpleName(),
                        backoff.toSeconds());
                sleep(backoff);
                backoff = doubled(backoff);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void deliver(JsonNode update) throws InterruptedException {
        Duration backoff = Duration.ofSeconds(1);
        while (running) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(webhook)
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .header("X-Telegram-Bot-Api-Secret-Token", secret)
                        .POST(HttpRequest.BodyPublishers.ofString(update.toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    executeReply(response.body(), update);
                    return;
                }
                LOG.warn("webhook answered {} to update {}; delivering it again in {} s", response.statusCode(),
                        update.get("update_id"), backoff.toSeconds());
            } catch (IOException e) {
                LOG.warn("webhook unreachable for update {}: {}", update.get("update_id"), e.getClass().getSimpleName());
            }
            sleep(backoff);
            backoff = doubled(backoff);
        }
    }

    /**
     * A refused method (the user blocked the bot, no right to write in a group) is logged, not retried:
     * delivering the update again would refuse again and hold up every update after it.
     */
    private void executeReply(String body, JsonNode update) throws InterruptedException {
        if (body == null || body.isBlank()) {
            return;
        }
        try {
            JsonNode reply = JSON.readTree(body);
            if (reply instanceof ObjectNode method && method.hasNonNull("method")) {
                String name = method.remove("method").asText();
                call(name, method);
            }
        } catch (IOException e) {
            LOG.info("the webhook's answer to update {} failed: {}", update.get("update_id"), e.getMessage());
        }
    }

    private JsonNode call(String method, ObjectNode params) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(botApi.resolve(method))
                .timeout(Duration.ofSeconds(POLL_SECONDS + 10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(params.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode answer = JSON.readTree(response.body());
        if (!answer.path("ok").asBoolean()) {
            throw new IOException(method + ": " + answer.path("error_code").asInt() + " "
                    + answer.path("description").asText());
        }
        return answer.get("result");
    }

    private static Duration doubled(Duration backoff) {
        Duration twice = backoff.multipliedBy(2);
        return twice.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : twice;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops polling; a webhook this run took over is put back when its secret is known. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        JsonNode previous = takenOver;
        if (previous == null || deployedSecret == null) {
            return;
        }
        ObjectNode params = JSON.createObjectNode().put("url", previous.path("url").asText())
                .put("secret_token", deployedSecret);
        if (previous.has("allowed_updates")) {
            params.set("allowed_updates", previous.get("allowed_updates"));
        }
        try {
            call("setWebhook", params);
            LOG.info("Put the webhook back at {}", previous.path("url").asText());
        } catch (IOException e) {
            LOG.warn("Could not put the webhook back ({}): {}", e.getMessage(), WebhookInUse.REREGISTER);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
