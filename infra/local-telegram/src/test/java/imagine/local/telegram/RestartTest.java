package imagine.local.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a data directory, the chats, updates and webhook survive a close() and start(). */
class RestartTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TOKEN = "123456:RESTART-secret-part";
    private static final long ALICE = 1001;
    private static final long BORIS = 1002;
    private static final long GROUP = LocalTelegram.GROUP_CHAT_ID;

    @TempDir
    Path directory;

    @Test
    void chatsWebhookAndIdsSurviveARestart() throws Exception {
        try (TestWebhook webhook = new TestWebhook(update -> TestWebhook.Reply.ok(""))) {
            List<String> botMessagesBefore;
            List<String> historyBefore;
            Map<Integer, List<String>> reactionsBefore;
            byte[] png = LocalTelegramTest.png(64, 48);
            int buttonMessageId;
            int lastUpdateId;
            try (LocalTelegram first = start()) {
                BotClient bot = new BotClient(first.baseUrl(), TOKEN);
                bot.call("setWebhook", Map.of("url", webhook.url().toString(), "secret_token", "s3cret"));
                Message hello = first.userSends(ALICE, "Alice", "en", "hello");
                buttonMessageId = bot.call("sendMessage", Map.of("chat_id", ALICE, "text", "Pick one",
                        "reply_parameters", Map.of("message_id", hello.messageId()),
                        "reply_markup", Map.of("inline_keyboard", List.of(List.of(Map.of("text", "A", "callback_data", "a"))))))
                        .result().get("message_id").asInt();
                bot.upload("sendPhoto", Map.of("chat_id", Long.toString(ALICE), "caption", "a fox"), "photo", "fox.png", png);
                int draft = bot.call("sendMessage", Map.of("chat_id", ALICE, "text", "draft")).result().get("message_id").asInt();
                bot.call("editMessageText", Map.of("chat_id", ALICE, "message_id", draft, "text", "final"));
                int doomed = bot.call("sendMessage", Map.of("chat_id", ALICE, "text", "oops")).result().get("message_id").asInt();
                bot.call("deleteMessage", Map.of("chat_id", ALICE, "message_id", doomed));
                bot.call("setMessageReaction", Map.of("chat_id", ALICE, "message_id", hello.messageId(),
                        "reaction", List.of(Map.of("type", "emoji", "emoji", "👍"))));
                first.userSendsPhoto(ALICE, "Alice", "en", png, "make it blue");
                first.userSendsInGroup(GROUP, BORIS, "Boris", "ru", "всем привет");
                await("three updates delivered").until(() -> webhook.deliveries().size() == 3);

                botMessagesBefore = botMessageState(first, ALICE);
                historyBefore = history(first, ALICE).stream().map(JsonNode::toString).toList();
                reactionsBefore = first.reactions(ALICE);
                lastUpdateId = webhook.deliveries().stream().mapToInt(d -> d.update().get("update_id").asInt()).max()
                        .orElseThrow();
            }

            try (LocalTelegram second = start()) {
                BotClient bot = new BotClient(second.baseUrl(), TOKEN);
                assertThat(botMessageState(second, ALICE)).isEqualTo(botMessagesBefore);
                assertThat(history(second, ALICE)).extracting(JsonNode::toString).isEqualTo(historyBefore).hasSize(6);
                assertThat(second.reactions(ALICE)).isEqualTo(reactionsBefore).isNotEmpty();
                BotMessage photo = second.botMessages(ALICE).stream().filter(BotMessage::isPhoto).findFirst().orElseThrow();
                assertThat(photo.fileBytes()).isEqualTo(png);
                assertThat(photo.caption()).isEqualTo("a fox");
                JsonNode info = bot.call("getWebhookInfo", Map.of()).result();
                assertThat(info.get("url").asText()).isEqualTo(webhook.url().toString());
                assertThat(info.get("pending_update_count").asInt()).isZero();

                Message again = second.userSends(ALICE, "Alice", "en", "again");
                assertThat(again.messageId()).isEqualTo(7);
                second.userPresses(ALICE, ALICE, buttonMessageId, "a");
                JsonNode groupReply = bot.call("sendMessage", Map.of("chat_id", GROUP, "text", "hi all")).body();

                await("five updates delivered").until(() -> webhook.deliveries().size() == 5);
                // A message and a button press travel as updates of different kinds, so their order may differ.
                TestWebhook.Delivery delivered = webhook.deliveries().stream()
                        .filter(d -> "again".equals(d.update().at("/message/text").asText())).findFirst().orElseThrow();
                assertThat(delivered.secretHeader()).isEqualTo("s3cret");
                assertThat(delivered.update().get("update_id").asInt()).isEqualTo(lastUpdateId + 1);
                assertThat(delivered.update().at("/message/text").asText()).isEqualTo("again");
                JsonNode press = webhook.deliveries().stream().filter(d -> d.update().has("callback_query"))
                        .findFirst().orElseThrow().update().get("callback_query");
                assertThat(press.at("/from/first_name").asText()).isEqualTo("Alice");
                assertThat(press.at("/from/language_code").asText()).isEqualTo("en");
                assertThat(groupReply.get("ok").asBoolean()).as(groupReply.toString()).isTrue();
                assertThat(groupReply.at("/result/message_id").asInt()).isEqualTo(2);
            }
        }
        try (Stream<Path> files = Files.walk(directory)) {
            assertThat(files).noneMatch(file -> file.toString().contains("RESTART"));
        }
        assertThat(Files.readString(directory.resolve(Journal.FILE_NAME))).doesNotContain("RESTART-secret-part");
    }

    @Test
    void anUpdateTheWebhookDidNotTakeIsDeliveredAfterARestart() {
        AtomicBoolean up = new AtomicBoolean();
        try (TestWebhook webhook = new TestWebhook(update -> new TestWebhook.Reply(up.get() ? 200 : 500, ""))) {
            Message sent;
            try (LocalTelegram first = start()) {
                new BotClient(first.baseUrl(), TOKEN).call("setWebhook", Map.of("url", webhook.url().toString()));
                sent = first.userSends(ALICE, "Alice", "en", "are you there?");
                await("a delivery").until(() -> !webhook.deliveries().isEmpty());
            }
            up.set(true);

            try (LocalTelegram second = start()) {
                await("a delivery the webhook took").until(() -> webhook.deliveries().stream().anyMatch(d -> d.answeredStatus() == 200));
                JsonNode update = webhook.deliveries().stream().filter(d -> d.answeredStatus() == 200).findFirst()
                        .orElseThrow().update();
                assertThat(update.at("/message/message_id").asInt()).isEqualTo(sent.messageId());
                assertThat(update.at("/message/text").asText()).isEqualTo("are you there?");
                await("no update pending").until(() -> new BotClient(second.baseUrl(), TOKEN).call("getWebhookInfo", Map.of()).result()
                        .get("pending_update_count").asInt() == 0);
            }
        }
    }

    @Test
    void aLineCutShortByACrashIsSkipped() throws IOException {
        byte[] png = LocalTelegramTest.png(20, 10);
        try (LocalTelegram first = start()) {
            first.userSends(ALICE, "Alice", "en", "one");
            new BotClient(first.baseUrl(), TOKEN).upload("sendPhoto", Map.of("chat_id", Long.toString(ALICE)),
                    "photo", "a.png", png);
        }
        appendCutShortLine(directory.resolve(Journal.FILE_NAME), "{\"type\":\"message\",\"chatId\":1001,\"mess");
        appendCutShortLine(directory.resolve("files").resolve("index.jsonl"), "{\"file_id\":\"LOCALPH");

        try (LocalTelegram second = start()) {
            assertThat(second.botMessages(ALICE)).singleElement().satisfies(m -> assertThat(m.fileBytes()).isEqualTo(png));
            assertThat(second.userSends(ALICE, "Alice", "en", "two").messageId()).isEqualTo(3);
            new BotClient(second.baseUrl(), TOKEN).upload("sendPhoto", Map.of("chat_id", Long.toString(ALICE)),
                    "photo", "b.png", png);
        }

        try (LocalTelegram third = start()) {
            assertThat(third.botMessages(ALICE)).extracting(BotMessage::messageId).containsExactly(2, 4);
            assertThat(third.botMessages(ALICE)).allSatisfy(m -> assertThat(m.fileBytes()).isEqualTo(png));
            assertThat(history(third, ALICE)).extracting(m -> m.path("text").asText()).contains("one", "two");
        }
    }

    @Test
    void withoutADataDirectoryNothingIsWritten() throws IOException {
        try (LocalTelegram telegram = LocalTelegram.start(LocalTelegram.Options.builder().botToken(TOKEN).build())) {
            telegram.userSends(ALICE, "Alice", "en", "hi");
        }
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).isEmpty();
        }
    }

    private LocalTelegram start() {
        return LocalTelegram.start(LocalTelegram.Options.builder().botToken(TOKEN).dataDirectory(directory)
                .perChatMessagesPerSecond(1000).perChatBurst(100).webhookRetry(Duration.ofMillis(20)).build());
    }

    /** The bot messages of a chat as text: numbers read back from JSON may be of another node type. */
    private static List<String> botMessageState(LocalTelegram telegram, long chatId) {
        return telegram.botMessages(chatId).stream()
                .map(m -> m.editCount() + " " + m.deleted() + " " + m.json()).toList();
    }

    /** The messages the chat page's event stream replays before it goes live. */
    private static List<JsonNode> history(LocalTelegram telegram, long chatId) {
        try {
            HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    telegram.baseUrl().resolve("/chat/events?chat=" + chatId)).build(), HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> lines = response.body()) {
                List<JsonNode> messages = new ArrayList<>();
                Iterator<String> it = lines.iterator();
                while (it.hasNext()) {
                    String line = it.next();
                    if (line.equals("event: ready")) {
                        return messages;
                    }
                    if (line.equals("event: message")) {
                        messages.add(MAPPER.readTree(it.next().substring("data: ".length())));
                    }
                }
                throw new AssertionError("The stream ended before its history did");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ConditionFactory await(String what) {
        return Awaitility.await(what).atMost(WAIT);
    }

    private static void appendCutShortLine(Path file, String start) throws IOException {
        Files.writeString(file, start, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
