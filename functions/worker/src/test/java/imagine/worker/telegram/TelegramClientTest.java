package imagine.worker.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imagine.worker.telegram.TelegramClient.Upload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TelegramClientTest {
    private static final String TOKEN = "0000:test-token";
    private final MockWebServer server = new MockWebServer();
    private TelegramClient telegram;

    @BeforeEach
    void start() throws IOException {
        server.start();
        telegram = new TelegramClient(new OkHttpClient(), server.url("/").toString(), TOKEN);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void sendPhotoUploadsTheFileAsAReplyWithItsCaption() throws Exception {
        server.enqueue(ok("{\"message_id\":77,\"chat\":{\"id\":1001,\"type\":\"private\"},\"caption\":\"1/2\"}"));

        var message = telegram.sendFile("sendPhoto", "photo", 1001,
                new Upload("500001-0-0.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'}), "1/2 · fox", 11L, null);

        assertThat(message.messageId()).isEqualTo(77);
        RecordedRequest request = server.takeRequest();
        assertThat(request.getUrl().encodedPath()).isEqualTo("/bot" + TOKEN + "/sendPhoto");
        assertThat(request.getHeaders().get("Content-Type")).startsWith("multipart/form-data");
        String body = request.getBody().string(StandardCharsets.UTF_8);
        assertThat(body).contains("name=\"chat_id\"\r\n\r\n1001")
                .contains("name=\"photo\"; filename=\"500001-0-0.png\"")
                .contains("Content-Type: image/png")
                .contains("name=\"caption\"\r\n\r\n1/2 · fox")
                .contains("{\"message_id\":11,\"allow_sending_without_reply\":true}");
    }

    @Test
    void sendMessageSendsJsonWithReplyParameters() throws Exception {
        server.enqueue(ok("{\"message_id\":78,\"chat\":{\"id\":5,\"type\":\"private\"},\"text\":\"hi\"}"));

        telegram.sendMessage(5, "hi", 3L);

        RecordedRequest request = server.takeRequest();
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(request.getBody().string(StandardCharsets.UTF_8)).isEqualTo(
                "{\"chat_id\":5,\"text\":\"hi\",\"reply_parameters\":{\"message_id\":3,\"allow_sending_without_reply\":true}}");
    }

    @Test
    void floodLimitCarriesRetryAfter() {
        server.enqueue(new MockResponse.Builder().code(429).body(
                "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 7\","
                        + "\"parameters\":{\"retry_after\":7}}").build());

        assertThatThrownBy(() -> telegram.sendMessage(5, "hi", null))
                .isInstanceOfSatisfying(TelegramException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(429);
                    assertThat(e.retryAfter()).isEqualTo(7);
                    assertThat(e.getMessage()).isEqualTo("sendMessage: 429 Too Many Requests: retry after 7");
                });
    }

    @Test
    void migratedGroupCarriesTheNewChatId() {
        server.enqueue(new MockResponse.Builder().code(400).body(
                "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: group chat was upgraded to a "
                        + "supergroup chat\",\"parameters\":{\"migrate_to_chat_id\":-1001234}}").build());

        assertThatThrownBy(() -> telegram.sendMessage(-42, "hi", null))
                .isInstanceOfSatisfying(TelegramException.class, e -> assertThat(e.migrateToChatId()).isEqualTo(-1001234));
    }

    @Test
    void aNonJsonAnswerIsATelegramErrorWithTheHttpStatus() {
        server.enqueue(new MockResponse.Builder().code(502).body("<html>Bad Gateway</html>").build());

        assertThatThrownBy(() -> telegram.sendMessage(5, "hi", null))
                .isInstanceOfSatisfying(TelegramException.class, e -> assertThat(e.errorCode()).isEqualTo(502));
    }

    @Test
    void networkFailuresNeverShowTheToken() throws IOException {
        String url = server.url("/").toString();
        server.close();
        TelegramClient unreachable = new TelegramClient(new OkHttpClient(), url, TOKEN);

        assertThatThrownBy(() -> unreachable.sendMessage(5, "hi", null))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("sendMessage failed")
                .hasNoCause()
                .satisfies(e -> assertThat(e.toString()).doesNotContain(TOKEN));
    }

    private static MockResponse ok(String result) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body("{\"ok\":true,\"result\":" + result + "}").build();
    }
}
