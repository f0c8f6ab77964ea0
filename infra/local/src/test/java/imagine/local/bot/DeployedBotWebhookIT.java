package imagine.local.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imagine.local.telegram.BotMessage;
import imagine.local.telegram.LocalTelegram;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A local run given a deployed bot's token (a separate local Telegram stands in for api.telegram.org, the bot's
 * webhook set as a deploy sets it): it does not take the bot away from its deployment unless asked, and when asked it
 * puts the webhook back at the end if it was given the webhook's secret.
 */
class DeployedBotWebhookIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEPLOYED_URL = "https://abc123.execute-api.us-east-1.amazonaws.com/telegram";
    private static final String DEPLOYED_SECRET = "deployed-webhook-secret";

    private LocalTelegram telegram;

    @BeforeEach
    void deployed() throws Exception {
        telegram = LocalTelegram.start(LocalTelegram.Options.builder().build());
        call("setWebhook", Map.of("url", DEPLOYED_URL, "secret_token", DEPLOYED_SECRET,
                "allowed_updates", LocalBot.UPDATE_KINDS));
    }

    @AfterEach
    void stop() {
        telegram.close();
    }

    @Test
    void aRunWithTheDeployedBotsTokenRefusesToStartAndLeavesTheWebhookAlone() throws Exception {
        assertThatThrownBy(() -> LocalBot.start(LocalBots.PROJECT, LocalBot.Settings.forTests(Duration.ofSeconds(1)),
                environment(Map.of())))
                .isInstanceOf(WebhookInUse.class)
                .hasMessageContaining(DEPLOYED_URL)
                .hasMessageContaining("second bot from @BotFather")
                .hasMessageContaining("--take-over-webhook");

        assertThat(webhookUrl()).isEqualTo(DEPLOYED_URL);
    }

    @Test
    void askedToTakeItOverItPollsAndPutsTheWebhookBackWithTheSecretItWasGiven() throws Exception {
        LocalBot bot = LocalBot.start(LocalBots.PROJECT, LocalBot.Settings.forTests(Duration.ofSeconds(1))
                .withWebhookTakenOver(), environment(Map.of("TELEGRAM_WEBHOOK_SECRET", DEPLOYED_SECRET)));
        try {
            assertThat(webhookUrl()).as("removed while this run polls").isEmpty();
            telegram.userSends(4101, "Ann", "en", "/help");
            assertThat(telegram.awaitBotMessage(4101, message -> message.text() != null, Duration.ofSeconds(30)))
                    .extracting(BotMessage::text).asString().startsWith("How to use me");
        } finally {
            bot.close();
        }

        JsonNode info = call("getWebhookInfo", Map.of());
        assertThat(info.path("url").asText()).isEqualTo(DEPLOYED_URL);
        assertThat(info.path("allowed_updates").toString()).isEqualTo("[\"message\",\"callback_query\"]");
    }

    @Test
    void takenOverWithoutTheSecretTheWebhookStaysRemovedForTheDeployToRegisterAgain() throws Exception {
        LocalBot bot = LocalBot.start(LocalBots.PROJECT, LocalBot.Settings.forTests(Duration.ofSeconds(1))
                .withWebhookTakenOver(), environment(Map.of()));
        bot.close();

        assertThat(webhookUrl()).isEmpty();
    }

    private Map<String, String> environment(Map<String, String> more) {
        Map<String, String> env = new HashMap<>(Map.of("TELEGRAM_BOT_TOKEN", telegram.botToken(),
                "TELEGRAM_API_URL", telegram.baseUrl().toString()));
        env.putAll(more);
        return env;
    }

    private String webhookUrl() throws Exception {
        return call("getWebhookInfo", Map.of()).path("url").asText();
    }

    private JsonNode call(String method, Map<String, Object> params) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(telegram.baseUrl() + "/bot" + telegram.botToken() + "/" + method))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(params))).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.path("ok").asBoolean()).as("%s: %s", method, response.body()).isTrue();
        return answer.path("result");
    }
}
