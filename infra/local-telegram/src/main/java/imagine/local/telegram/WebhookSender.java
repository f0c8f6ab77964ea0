package imagine.local.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Posts one update to the webhook, as Telegram does. */
final class WebhookSender {
    /** The outcome of a delivery: ok, with the method call the webhook answered with (or null). */
    record Outcome(boolean ok, ObjectNode reply, String error) {
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    Outcome post(Updates.Webhook webhook, ObjectNode update) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(webhook.url()))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(update)));
        if (webhook.secretToken() != null && !webhook.secretToken().isEmpty()) {
            request.header("X-Telegram-Bot-Api-Secret-Token", webhook.secretToken());
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 != 2) {
                return new Outcome(false, null, "Wrong response from the webhook: " + response.statusCode());
            }
            return new Outcome(true, methodCall(response.body()), null);
        } catch (IOException e) {
            return new Outcome(false, null, "Connection refused");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, null, "Interrupted");
        }
    }

    private static ObjectNode methodCall(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            JsonNode json = Json.parse(body);
            return json.isObject() && json.hasNonNull("method") ? (ObjectNode) json : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
