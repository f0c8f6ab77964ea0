package imagine.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import imagine.core.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * editMessageText through the JDK's HTTP client, so the webhook's jar carries no other. The token is
 * part of the URL: neither appears in an exception or a log line.
 */
final class BotApiEditor implements MessageEditor {
    private static final Duration TIMEOUT = Duration.ofSeconds(4);

    private final HttpClient http;
    private final URI endpoint;

    BotApiEditor(HttpClient http, String apiUrl, String token) {
        this.http = http;
        this.endpoint = URI.create(apiUrl.replaceAll("/+$", "") + "/bot" + token + "/editMessageText");
    }

    @Override
    public void edit(MessageEdit edit) {
        HttpResponse<byte[]> response;
        try {
            HttpRequest request = HttpRequest.newBuilder(endpoint)
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(edit)))
                    .build();
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new TelegramCallException("editMessageText did not reach Telegram: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TelegramCallException("editMessageText interrupted");
        }
        String description = description(response.body());
        if (response.statusCode() == 200) {
            return;
        }
        // Telegram refuses an edit to the content the message already has; the user sees what we meant.
        if (response.statusCode() == 400 && description.contains("message is not modified")) {
            return;
        }
        throw new TelegramCallException("editMessageText: " + response.statusCode() + " " + description);
    }

    private static String description(byte[] body) {
        try {
            JsonNode answer = Json.MAPPER.readTree(body);
            return answer == null ? "" : answer.path("description").asText("");
        } catch (IOException e) {
            return "";
        }
    }
}
