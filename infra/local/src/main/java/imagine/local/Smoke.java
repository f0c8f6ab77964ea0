package imagine.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClientBuilder;
import software.amazon.awssdk.services.cloudformation.model.Output;

/**
 * {@code infra/imagine smoke}: what only a deployed bot can show, checked from outside. Telegram's view of the
 * webhook (getWebhookInfo: its URL, pending updates, last error), a synthetic update through the stack's API with
 * and without the secret, and a callback signed with the Replicate account's signing secret and a forged one. It
 * starts no prediction and sends no message: the update is a /help whose answer comes back in the response, the
 * callback names a job that does not exist. No secret is printed.
 */
public final class Smoke {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A webhook error older than this is history, not a failure. */
    static final Duration RECENT_ERROR = Duration.ofMinutes(15);

    /**
     * What is checked and with which credentials.
     *
     * @param apiUrl        the stack's ApiUrl output (its /telegram and /replicate routes)
     * @param telegramApi   Telegram's Bot API (https://api.telegram.org)
     * @param botToken      the bot's token, for getWebhookInfo
     * @param webhookSecret Telegram's secret_token (the first of NEW,OLD while rotating)
     * @param replicateApi  Replicate's API (https://api.replicate.com)
     * @param replicateToken to read the account's webhook signing secret, as the deploy does
     */
    public record Target(URI apiUrl, URI telegramApi, String botToken, String webhookSecret, URI replicateApi,
                         String replicateToken) {
        /** The credentials from TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET and REPLICATE_API_TOKEN. */
        public static Target of(URI apiUrl, Map<String, String> env) {
            List<String> missing = new ArrayList<>();
            for (String name : List.of("TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "REPLICATE_API_TOKEN")) {
                if (env.getOrDefault(name, "").isBlank()) {
                    missing.add(name);
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("smoke needs " + String.join(", ", missing)
                        + " in the environment (the values given to the deploy)");
            }
            return new Target(apiUrl, URI.create(env.getOrDefault("TELEGRAM_API_URL", "https://api.telegram.org")),
                    env.get("TELEGRAM_BOT_TOKEN"), env.get("TELEGRAM_WEBHOOK_SECRET").split(",")[0].trim(),
                    URI.create(env.getOrDefault("REPLICATE_API_URL", "https://api.replicate.com")),
                    env.get("REPLICATE_API_TOKEN"));
        }
    }

    /** One check: what was checked, whether it held, and what was seen. */
    public record Check(String name, boolean passed, String seen) {
        @Override
        public String toString() {
            return (passed ? "ok    " : "FAIL  ") + name + ": " + seen;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Clock clock;

    public Smoke(Clock clock) {
        this.clock = clock;
    }

    /** The ApiUrl output of a deployed stack; {@code region} null takes the AWS SDK's default. */
    public static URI apiUrlOf(String stackName, String region) {
        CloudFormationClientBuilder builder = CloudFormationClient.builder()
                .httpClient(UrlConnectionHttpClient.create());
        if (region != null) {
            builder.region(Region.of(region));
        }
        try (CloudFormationClient cloudFormation = builder.build()) {
            List<Output> outputs = cloudFormation.describeStacks(b -> b.stackName(stackName)).stacks().get(0).outputs();
            return outputs.stream().filter(output -> output.outputKey().equals("ApiUrl")).findFirst()
                    .map(output -> URI.create(output.outputValue()))
                    .orElseThrow(() -> new IllegalStateException("stack " + stackName + " has no ApiUrl output"));
        }
    }

    public List<Check> run(Target target) throws InterruptedException {
        List<Check> checks = new ArrayList<>();
        checks.add(attempt(target, "Telegram delivers to this stack (getWebhookInfo)", () -> webhookInfo(target)));
        checks.add(attempt(target, "an update with the secret is answered",
                () -> update(target, target.webhookSecret())));
        checks.add(attempt(target, "an update without the secret is refused", () -> update(target, "not-the-secret")));
        checks.add(attempt(target, "a callback signed by Replicate is verified", () -> callback(target, true)));
        checks.add(attempt(target, "a forged callback is refused", () -> callback(target, false)));
        return checks;
    }

    private record Outcome(boolean passed, String seen) {
    }

    private interface Probe {
        Outcome run() throws IOException, InterruptedException, GeneralSecurityException;
    }

    /** A failure's message may quote a URL; none of the secrets is shown. */
    private static Check attempt(Target target, String name, Probe probe) throws InterruptedException {
        try {
            Outcome outcome = probe.run();
            return new Check(name, outcome.passed(), outcome.seen());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            String seen = e.getClass().getSimpleName() + ": " + e.getMessage();
            for (String secret : List.of(target.botToken(), target.webhookSecret(), target.replicateToken())) {
                seen = seen.replace(secret, "***");
            }
            return new Check(name, false, seen);
        }
    }

    private Outcome webhookInfo(Target target) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(base(target.telegramApi()) + "/bot" + target.botToken() + "/getWebhookInfo"))
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode answer = JSON.readTree(response.body());
        if (!answer.path("ok").asBoolean()) {
            return new Outcome(false, "Telegram answered " + response.statusCode() + " "
                    + answer.path("description").asText());
        }
        JsonNode info = answer.path("result");
        String expected = base(target.apiUrl()) + "/telegram";
        String url = info.path("url").asText();
        int pending = info.path("pending_update_count").asInt();
        long errorAt = info.path("last_error_date").asLong(0);
        boolean recentError = errorAt > 0
                && Instant.ofEpochSecond(errorAt).isAfter(clock.instant().minus(RECENT_ERROR));
        String seen = "url " + (url.equals(expected) ? "is the stack's" : url.isEmpty() ? "not set" : "is " + url
                + ", not " + expected) + ", " + pending + " pending, last error "
                + (errorAt == 0 ? "none" : info.path("last_error_message").asText() + " at "
                + Instant.ofEpochSecond(errorAt));
        return new Outcome(url.equals(expected) && !recentError, seen);
    }

    /** A /help from a user id no one has: the answer rides back in the response, nothing is sent or enqueued. */
    private Outcome update(Target target, String secret) throws IOException, InterruptedException {
        long id = clock.millis() / 1000;
        String update = JSON.writeValueAsString(Map.of("update_id", id, "message", Map.of(
                "message_id", 1, "date", id, "text", "/help",
                "from", Map.of("id", 1, "is_bot", false, "first_name", "Smoke", "language_code", "en"),
                "chat", Map.of("id", 1, "type", "private", "first_name", "Smoke"))));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base(target.apiUrl()) + "/telegram"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Telegram-Bot-Api-Secret-Token", secret)
                .POST(HttpRequest.BodyPublishers.ofString(update)).build(), HttpResponse.BodyHandlers.ofString());
        boolean withSecret = secret.equals(target.webhookSecret());
        if (!withSecret) {
            return new Outcome(response.statusCode() == 401, "HTTP " + response.statusCode());
        }
        String method = response.statusCode() == 200 && !response.body().isBlank()
                ? JSON.readTree(response.body()).path("method").asText() : "";
        return new Outcome(method.equals("sendMessage"), "HTTP " + response.statusCode()
                + (method.isEmpty() ? "" : ", answered with " + method));
    }

    /** A finished prediction for a job that does not exist: verified, then 404; forged, 401. */
    private Outcome callback(Target target, boolean signed)
            throws IOException, InterruptedException, GeneralSecurityException {
        String webhookId = "msg_smoke" + clock.millis();
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        String body = JSON.writeValueAsString(Map.of("id", "smoke" + clock.millis(), "status", "succeeded"));
        byte[] key = signed ? Base64.getDecoder().decode(signingSecret(target).replaceFirst("^whsec_", ""))
                : "forged".getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String signature = Base64.getEncoder().encodeToString(
                mac.doFinal((webhookId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(base(target.apiUrl()) + "/replicate?job=smoke-" + clock.millis()))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("webhook-id", webhookId)
                .header("webhook-timestamp", timestamp)
                .header("webhook-signature", "v1," + signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        int expected = signed ? 404 : 401;
        String seen = "HTTP " + response.statusCode() + (signed && response.statusCode() == 401
                ? " (refused as unsigned: the stack polls, or has another account's secret)" : "");
        return new Outcome(response.statusCode() == expected, seen);
    }

    private String signingSecret(Target target) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(base(target.replicateApi()) + "/v1/webhooks/default/secret"))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + target.replicateToken()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("Replicate answered " + response.statusCode() + " for the webhook signing secret");
        }
        return JSON.readTree(response.body()).path("key").asText();
    }

    private static String base(URI uri) {
        return uri.toString().replaceAll("/+$", "");
    }
}
