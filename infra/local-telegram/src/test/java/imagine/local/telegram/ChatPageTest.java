package imagine.local.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChatPageTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TOKEN = "42:page-test";

    private final HttpClient http = HttpClient.newHttpClient();
    private LocalTelegram telegram;

    @BeforeEach
    void start() {
        telegram = LocalTelegram.start(LocalTelegram.Options.builder().botToken(TOKEN).build());
    }

    @AfterEach
    void stop() {
        telegram.close();
    }

    @Test
    void servesThePageAndItsScripts() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("id=\"composer\"", "id=\"send\"", "id=\"user-id\"", "/chat/app.js");
        assertThat(get("/chat/app.js").body()).contains("EventSource");
        assertThat(get("/chat/app.css").statusCode()).isEqualTo(200);
        assertThat(MAPPER.readTree(get("/chat/info").body()).get("bot_username").asText()).isEqualTo("imagine_local_bot");
    }

    @Test
    void userMessagesFromThePageAndBotRepliesStreamLive() throws Exception {
        HttpResponse<String> sent = post("/chat/send", Map.of("user_id", 7, "first_name", "Alice", "language_code", "en",
                "chat_id", 7, "text", "line one\nline two"));
        assertThat(sent.statusCode()).isEqualTo(200);
        int messageId = MAPPER.readTree(sent.body()).get("message_id").asInt();

        HttpResponse<Stream<String>> events = http.send(HttpRequest.newBuilder(uri("/chat/events?chat=7")).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(events.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        Iterator<String> lines = events.body().iterator();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            JsonNode history = nextEvent(lines, "message");
            assertThat(history.get("text").asText()).isEqualTo("line one\nline two");
            assertThat(history.get("from_bot").asBoolean()).isFalse();
            nextEvent(lines, "ready");

            new BotClient(telegram.baseUrl(), TOKEN).call("sendMessage", Map.of("chat_id", 7, "text", "<b>hi</b>",
                    "parse_mode", "HTML", "reply_parameters", Map.of("message_id", messageId)));

            JsonNode live = nextEvent(lines, "message");
            assertThat(live.get("from_bot").asBoolean()).isTrue();
            assertThat(live.get("text").asText()).isEqualTo("hi");
            assertThat(live.at("/reply_to_message/message_id").asInt()).isEqualTo(messageId);
        });
        events.body().close();
    }

    @Test
    void photosFromThePageAreServedBack() throws Exception {
        byte[] png = LocalTelegramTest.png(30, 20);
        post("/chat/photo", Map.of("user_id", 8, "first_name", "Борис", "language_code", "ru", "chat_id", 8,
                "data", java.util.Base64.getEncoder().encodeToString(png), "caption", "сделай синим"));
        String fileId = new BotClient(telegram.baseUrl(), TOKEN).call("getUpdates", Map.of()).result()
                .get(0).at("/message/photo/0/file_id").asText();

        HttpResponse<byte[]> image = http.send(HttpRequest.newBuilder(uri("/chat/file/" + fileId)).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(image.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(image.body()).isEqualTo(png);
    }

    @Test
    void aLongTextFromThePageIsSentAsSeveralMessagesAndALongCaptionIsRefused() throws Exception {
        HttpResponse<String> sent = post("/chat/send", Map.of("user_id", 7, "first_name", "Alice", "language_code", "en",
                "chat_id", 7, "text", "a fox. ".repeat(1000)));
        HttpResponse<String> photo = post("/chat/photo", Map.of("user_id", 7, "first_name", "Alice",
                "language_code", "en", "chat_id", 7, "data", java.util.Base64.getEncoder()
                        .encodeToString(LocalTelegramTest.png(30, 20)), "caption", "c".repeat(1025)));

        assertThat(sent.statusCode()).isEqualTo(200);
        JsonNode ids = MAPPER.readTree(sent.body()).get("message_ids");
        assertThat(ids).hasSize(2);
        assertThat(MAPPER.readTree(sent.body()).get("message_id").asInt()).isEqualTo(ids.get(0).asInt());
        assertThat(photo.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(photo.body()).get("error").asText()).isEqualTo("Bad Request: message caption is too long");
        assertThat(get("/chat/app.js").body()).as("the page tells the user").contains("message_ids", "restore");
    }

    private static JsonNode nextEvent(Iterator<String> lines, String name) throws IOException {
        while (lines.hasNext()) {
            if (lines.next().equals("event: " + name)) {
                String data = lines.next();
                return MAPPER.readTree(data.substring("data: ".length()));
            }
        }
        throw new AssertionError("The stream ended before a " + name + " event");
    }

    private URI uri(String path) {
        return telegram.baseUrl().resolve(path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, Map<String, Object> body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
