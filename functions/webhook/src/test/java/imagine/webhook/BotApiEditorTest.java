package imagine.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import imagine.core.Json;
import imagine.core.telegram.InlineKeyboardButton;
import imagine.core.telegram.InlineKeyboardMarkup;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BotApiEditorTest {
    private static final String TOKEN = "0000:test-token";
    private static final MessageEdit EDIT = new MessageEdit(1001, 21, "Model for your prompts: Seedream 3",
            new InlineKeyboardMarkup(List.of(List.of(new InlineKeyboardButton("✅ Seedream 3", "1001:m:seedream")))));

    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws IOException {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private BotApiEditor editor() {
        return new BotApiEditor(HttpClient.newHttpClient(), server.url("/").toString(), TOKEN);
    }

    @Test
    void editsTheMenuMessageWithItsTextAndButtons() throws Exception {
        server.enqueue(new MockResponse.Builder().body("{\"ok\":true,\"result\":{\"message_id\":21}}").build());

        editor().edit(EDIT);

        RecordedRequest request = server.takeRequest();
        assertThat(request.getUrl().encodedPath()).isEqualTo("/bot" + TOKEN + "/editMessageText");
        assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/json");
        JsonNode body = Json.MAPPER.readTree(request.getBody().string(StandardCharsets.UTF_8));
        assertThat(body.get("chat_id").asLong()).isEqualTo(1001);
        assertThat(body.get("message_id").asLong()).isEqualTo(21);
        assertThat(body.get("text").asText()).isEqualTo("Model for your prompts: Seedream 3");
        assertThat(body.at("/reply_markup/inline_keyboard/0/0/callback_data").asText()).isEqualTo("1001:m:seedream");
    }

    @Test
    void anEditToTheContentTheMessageAlreadyHasIsASuccess() {
        server.enqueue(new MockResponse.Builder().code(400).body("{\"ok\":false,\"error_code\":400,\"description\":"
                + "\"Bad Request: message is not modified: specified new message content and reply markup are exactly "
                + "the same as a current content and reply markup of the message\"}").build());

        assertThatCode(() -> editor().edit(EDIT)).doesNotThrowAnyException();
    }

    @Test
    void aRefusalOrAnUnreachableTelegramIsAnErrorThatNeverShowsTheToken() throws Exception {
        server.enqueue(new MockResponse.Builder().code(400)
                .body("{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: message to edit not found\"}").build());

        assertThatThrownBy(() -> editor().edit(EDIT)).isInstanceOf(TelegramCallException.class)
                .hasMessage("editMessageText: 400 Bad Request: message to edit not found")
                .hasNoCause();

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        BotApiEditor unreachable = new BotApiEditor(HttpClient.newHttpClient(), "http://127.0.0.1:" + closedPort, TOKEN);
        assertThatThrownBy(() -> unreachable.edit(EDIT)).isInstanceOf(TelegramCallException.class)
                .hasNoCause()
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN).doesNotContain("test-token"));
    }
}
