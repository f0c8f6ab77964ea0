package imagine.local.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalTelegramTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TOKEN = "123456:TEST-token";
    private static final long ALICE = 1001;
    private static final long BORIS = 1002;

    private LocalTelegram telegram;
    private BotClient bot;

    @BeforeEach
    void start() {
        telegram = LocalTelegram.start(LocalTelegram.Options.builder().botToken(TOKEN)
                .webhookRetry(Duration.ofMillis(20)).build());
        bot = new BotClient(telegram.baseUrl(), TOKEN);
    }

    @AfterEach
    void stop() {
        telegram.close();
    }

    @Test
    void roundTripThroughTheWebhookWithAReplyInTheResponse() {
        try (TestWebhook webhook = new TestWebhook(update -> TestWebhook.Reply.ok("{\"method\":\"sendMessage\",\"chat_id\":"
                + update.at("/message/chat/id").asLong() + ",\"text\":\"echo: " + update.at("/message/text").asText()
                + "\",\"reply_parameters\":{\"message_id\":" + update.at("/message/message_id").asInt() + "}}"))) {
            assertThat(bot.call("setWebhook", Map.of("url", webhook.url().toString(), "secret_token", "s3cret"))
                    .body().get("ok").asBoolean()).isTrue();

            Message sent = telegram.userSends(ALICE, "Alice", "en", "a red fox");

            BotMessage echo = telegram.awaitBotMessage(ALICE, m -> m.text() != null, WAIT);
            assertThat(echo.text()).isEqualTo("echo: a red fox");
            assertThat(echo.replyToMessageId()).isEqualTo(sent.messageId());
            TestWebhook.Delivery delivery = webhook.deliveries().get(0);
            assertThat(delivery.secretHeader()).isEqualTo("s3cret");
            assertThat(delivery.contentType()).startsWith("application/json");
            assertThat(delivery.update().at("/message/from/first_name").asText()).isEqualTo("Alice");
            assertThat(delivery.update().at("/message/from/language_code").asText()).isEqualTo("en");
            assertThat(delivery.update().at("/message/chat/type").asText()).isEqualTo("private");
            assertThat(telegram.calls()).extracting(ApiCall::method).containsExactly("setWebhook", "sendMessage");
        }
    }

    @Test
    void sendPhotoMultipartUploadIsStoredWithItsSize() throws IOException {
        telegram.userSends(ALICE, "Alice", "en", "/start");
        byte[] png = png(640, 480);

        BotClient.Answer answer = bot.upload("sendPhoto", Map.of("chat_id", Long.toString(ALICE), "caption", "Here it is"),
                "photo", "fox.png", png);

        assertThat(answer.status()).isEqualTo(200);
        JsonNode sizes = answer.result().get("photo");
        JsonNode largest = sizes.get(sizes.size() - 1);
        assertThat(largest.get("width").asInt()).isEqualTo(640);
        assertThat(largest.get("height").asInt()).isEqualTo(480);
        assertThat(largest.get("file_size").asLong()).isEqualTo(png.length);
        assertThat(sizes.get(0).get("width").asInt()).isLessThan(640);
        assertThat(answer.result().at("/from/is_bot").asBoolean()).isTrue();
        assertThat(answer.result().at("/from/username").asText()).isEqualTo("imagine_local_bot");
        BotMessage photo = telegram.botMessages(ALICE).get(0);
        assertThat(photo.isPhoto()).isTrue();
        assertThat(photo.caption()).isEqualTo("Here it is");
        assertThat(photo.fileBytes()).isEqualTo(png);
        assertThat(photo.width()).isEqualTo(640);
    }

    @Test
    void photoByAttachReferenceAndByFileId() throws IOException {
        telegram.userSends(ALICE, "Alice", "en", "hi");
        BotClient.Answer first = bot.upload("sendPhoto", Map.of("chat_id", Long.toString(ALICE), "photo", "attach://img"),
                "img", "a.png", png(100, 50));
        assertThat(first.status()).isEqualTo(200);
        String fileId = first.result().at("/photo/0/file_id").asText();

        BotClient.Answer again = bot.call("sendPhoto", Map.of("chat_id", ALICE, "photo", fileId));

        assertThat(again.result().at("/photo/0/file_id").asText()).isEqualTo(fileId);
        assertThat(bot.call("sendPhoto", Map.of("chat_id", ALICE, "photo", "no-such-file")).body().get("description").asText())
                .isEqualTo("Bad Request: wrong file identifier/HTTP URL specified");
    }

    @Test
    void theBotCanSendBackAUsersPhotoByFileId() throws IOException {
        Message sent = telegram.userSendsPhoto(ALICE, "Alice", "en", png(120, 90), null);
        String fileId = sent.json().at("/photo/0/file_id").asText();

        JsonNode photo = bot.call("sendPhoto", Map.of("chat_id", ALICE, "photo", fileId)).result().get("photo");

        assertThat(photo.isArray()).isTrue();
        assertThat(photo.get(photo.size() - 1).get("width").asInt()).isEqualTo(120);
    }

    @Test
    void documentsAndMediaGroups() throws IOException {
        telegram.userSends(ALICE, "Alice", "en", "hi");
        byte[] pdf = "%PDF-1.4 tiny".getBytes();

        JsonNode document = bot.upload("sendDocument", Map.of("chat_id", Long.toString(ALICE)), "document", "result.pdf", pdf)
                .result().get("document");
        BotClient.Answer group = bot.upload("sendMediaGroup", Map.of("chat_id", Long.toString(ALICE), "media",
                "[{\"type\":\"photo\",\"media\":\"attach://one\",\"caption\":\"first\"},"
                        + "{\"type\":\"photo\",\"media\":\"" + bot.upload("sendPhoto", Map.of("chat_id",
                        Long.toString(ALICE)), "photo", "b.png", png(20, 20)).result().at("/photo/0/file_id").asText()
                        + "\"}]"), "one", "a.png", png(40, 30));

        assertThat(document.get("file_name").asText()).isEqualTo("result.pdf");
        assertThat(document.get("file_size").asLong()).isEqualTo(pdf.length);
        assertThat(group.status()).isEqualTo(200);
        assertThat(group.result()).hasSize(2);
        assertThat(group.result().get(0).get("media_group_id").asText())
                .isEqualTo(group.result().get(1).get("media_group_id").asText());
        assertThat(telegram.botMessages(ALICE)).extracting(BotMessage::mediaKind)
                .containsExactly("document", "photo", "photo", "photo");
        assertThat(telegram.botMessages(ALICE).get(0).fileBytes()).isEqualTo(pdf);
    }

    @Test
    void photoWithExtremeAspectRatioIsRejected() throws IOException {
        telegram.userSends(ALICE, "Alice", "en", "hi");

        BotClient.Answer answer = bot.upload("sendPhoto", Map.of("chat_id", Long.toString(ALICE)), "photo", "strip.png",
                png(2100, 100));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().get("description").asText()).isEqualTo("Bad Request: PHOTO_INVALID_DIMENSIONS");
    }

    @Test
    void floodLimitAnswers429WithRetryAfterOnceTheBurstIsSpent() {
        telegram.userSends(ALICE, "Alice", "en", "hi");
        for (int i = 0; i < 3; i++) {
            assertThat(bot.call("sendMessage", Map.of("chat_id", ALICE, "text", "m" + i)).status()).isEqualTo(200);
        }
        assertThat(bot.call("sendChatAction", Map.of("chat_id", ALICE, "action", "typing")).status()).isEqualTo(200);

        BotClient.Answer limited = bot.call("sendMessage", Map.of("chat_id", ALICE, "text", "one too many"));

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.body().get("error_code").asInt()).isEqualTo(429);
        int retryAfter = limited.body().at("/parameters/retry_after").asInt();
        assertThat(retryAfter).isGreaterThanOrEqualTo(1);
        assertThat(limited.body().get("description").asText()).isEqualTo("Too Many Requests: retry after " + retryAfter);
        assertThat(telegram.tooManyRequestsCount()).isEqualTo(1);
        assertThat(telegram.calls().stream().filter(c -> c.errorCode() == 429)).hasSize(1);
        assertThat(telegram.chatActions(ALICE)).containsExactly("typing");
        telegram.userSends(BORIS, "Борис", "ru", "привет");
        assertThat(bot.call("sendMessage", Map.of("chat_id", BORIS, "text", "other chats are not limited")).status())
                .isEqualTo(200);
    }

    @Test
    void textAndCaptionLimits() throws IOException {
        telegram.userSends(ALICE, "Alice", "en", "hi");

        BotClient.Answer caption = bot.upload("sendPhoto", Map.of("chat_id", Long.toString(ALICE), "caption", "c".repeat(1025)),
                "photo", "p.png", png(10, 10));
        BotClient.Answer longText = bot.call("sendMessage", Map.of("chat_id", ALICE, "text", "t".repeat(4097)));
        BotClient.Answer empty = bot.call("sendMessage", Map.of("chat_id", ALICE, "text", ""));
        BotClient.Answer exact = bot.call("sendMessage", Map.of("chat_id", ALICE, "text", "t".repeat(4096)));

        assertThat(caption.status()).isEqualTo(400);
        assertThat(caption.body().get("description").asText()).isEqualTo("Bad Request: message caption is too long");
        assertThat(longText.body().get("description").asText()).isEqualTo("Bad Request: message is too long");
        assertThat(empty.body().get("description").asText()).isEqualTo("Bad Request: message text is empty");
        assertThat(exact.status()).isEqualTo(200);
    }

    @Test
    void replyToAMissingMessage() {
        telegram.userSends(ALICE, "Alice", "en", "hi");

        BotClient.Answer missing = bot.call("sendMessage", Map.of("chat_id", ALICE, "text", "re",
                "reply_parameters", Map.of("message_id", 999)));
        BotClient.Answer allowed = bot.call("sendMessage", Map.of("chat_id", ALICE, "text", "re",
                "reply_parameters", Map.of("message_id", 999, "allow_sending_without_reply", true)));
        BotClient.Answer legacy = bot.call("sendMessage", Map.of("chat_id", ALICE, "text", "re", "reply_to_message_id", 1));

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().get("description").asText()).isEqualTo("Bad Request: message to be replied not found");
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.result().has("reply_to_message")).isFalse();
        assertThat(legacy.result().at("/reply_to_message/text").asText()).isEqualTo("hi");
    }

    @Test
    void failingWebhookIsRetriedInOrderWhileOtherChatsGoOn() {
        AtomicBoolean borisDelivered = new AtomicBoolean();
        AtomicInteger firstAttempts = new AtomicInteger();
        try (TestWebhook webhook = new TestWebhook(update -> {
            long chat = update.at("/message/chat/id").asLong();
            if (chat == BORIS) {
                borisDelivered.set(true);
            } else if (update.at("/message/text").asText().equals("first")
                    && (firstAttempts.getAndIncrement() == 0 || !borisDelivered.get())) {
                return new TestWebhook.Reply(500, "");
            }
            return TestWebhook.Reply.ok("{\"method\":\"sendMessage\",\"chat_id\":" + chat + ",\"text\":\"got "
                    + update.at("/message/text").asText() + "\"}");
        })) {
            bot.call("setWebhook", Map.of("url", webhook.url().toString()));

            telegram.userSends(ALICE, "Alice", "en", "first");
            telegram.userSends(ALICE, "Alice", "en", "second");
            telegram.userSends(BORIS, "Борис", "ru", "other chat");

            List<BotMessage> alice = telegram.awaitBotMessages(ALICE, 2, m -> true, WAIT);
            assertThat(alice).extracting(BotMessage::text).containsExactly("got first", "got second");
            telegram.awaitBotMessage(BORIS, m -> m.text().equals("got other chat"), WAIT);
            List<String> aliceDeliveries = webhook.deliveries().stream()
                    .filter(d -> d.update().at("/message/chat/id").asLong() == ALICE)
                    .map(d -> d.update().at("/message/text").asText() + ":" + d.answeredStatus()).toList();
            assertThat(aliceDeliveries).last().isEqualTo("second:200");
            assertThat(aliceDeliveries.subList(0, aliceDeliveries.size() - 1)).allMatch(d -> d.startsWith("first:"));
            assertThat(aliceDeliveries).contains("first:500");
            List<Integer> updateIds = webhook.deliveries().stream().filter(d -> d.answeredStatus() == 200)
                    .map(d -> d.update().get("update_id").asInt()).toList();
            assertThat(updateIds.get(0)).as("Boris's update went first though it came last")
                    .isEqualTo(webhook.deliveries().stream().filter(d -> d.update().at("/message/chat/id").asLong() == BORIS)
                            .findFirst().orElseThrow().update().get("update_id").asInt());
            assertThat(bot.call("getWebhookInfo", Map.of()).result().get("last_error_message").asText())
                    .isEqualTo("Wrong response from the webhook: 500");
        }
    }

    @Test
    void getFileAndDownload() throws IOException {
        byte[] photo = png(320, 200);
        Message sent = telegram.userSendsPhoto(ALICE, "Alice", "en", photo, "make it blue");
        JsonNode sizes = sent.json().get("photo");
        String fileId = sizes.get(sizes.size() - 1).get("file_id").asText();
        assertThat(sent.caption()).isEqualTo("make it blue");

        JsonNode file = bot.call("getFile", Map.of("file_id", fileId)).result();

        assertThat(file.get("file_size").asLong()).isEqualTo(photo.length);
        assertThat(file.get("file_unique_id").asText()).isNotBlank();
        assertThat(bot.download(file.get("file_path").asText())).isEqualTo(photo);
        assertThat(bot.call("getFile", Map.of("file_id", "nope")).body().get("description").asText())
                .isEqualTo("Bad Request: invalid file_id");
    }

    @Test
    void filesSurviveARestartWithADataDirectory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory)
            throws IOException {
        byte[] photo = png(50, 40);
        String filePath;
        String fileId;
        try (LocalTelegram first = LocalTelegram.start(LocalTelegram.Options.builder().botToken(TOKEN)
                .dataDirectory(directory).build())) {
            JsonNode sizes = first.userSendsPhoto(ALICE, "Alice", "en", photo, null).json().get("photo");
            fileId = sizes.get(sizes.size() - 1).get("file_id").asText();
            filePath = new BotClient(first.baseUrl(), TOKEN).call("getFile", Map.of("file_id", fileId))
                    .result().get("file_path").asText();
        }
        try (LocalTelegram second = LocalTelegram.start(LocalTelegram.Options.builder().botToken(TOKEN)
                .dataDirectory(directory).build())) {
            BotClient client = new BotClient(second.baseUrl(), TOKEN);
            assertThat(client.call("getFile", Map.of("file_id", fileId)).result().get("file_path").asText())
                    .isEqualTo(filePath);
            assertThat(client.download(filePath)).isEqualTo(photo);
        }
    }

    @Test
    void wrongTokenAndUnknownMethod() {
        BotClient intruder = new BotClient(telegram.baseUrl(), "999:wrong");

        BotClient.Answer unauthorized = intruder.call("getMe", Map.of());
        BotClient.Answer unknown = bot.call("sendSticker2", Map.of());

        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(unauthorized.body().toString()).isEqualTo("{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().get("description").asText()).isEqualTo("Not Found");
        JsonNode me = bot.call("getMe", Map.of()).result();
        assertThat(me.get("id").asLong()).isEqualTo(123456);
        assertThat(me.get("is_bot").asBoolean()).isTrue();
    }

    @Test
    void getUpdatesConflictsWithAWebhookAndLongPollsWithout() {
        try (TestWebhook webhook = new TestWebhook(update -> TestWebhook.Reply.ok(""))) {
            bot.call("setWebhook", Map.of("url", webhook.url().toString()));

            BotClient.Answer conflict = bot.call("getUpdates", Map.of());

            assertThat(conflict.status()).isEqualTo(409);
            assertThat(conflict.body().get("description").asText()).startsWith("Conflict: can't use getUpdates method while webhook is active");
        }
        bot.call("deleteWebhook", Map.of());
        telegram.userSends(ALICE, "Alice", "en", "polled");

        JsonNode updates = bot.call("getUpdates", Map.of("timeout", 5)).result();

        assertThat(updates).hasSize(1);
        long next = updates.get(0).get("update_id").asLong() + 1;
        assertThat(updates.get(0).at("/message/text").asText()).isEqualTo("polled");
        assertThat(bot.call("getUpdates", Map.of("offset", next, "timeout", 0)).result()).isEmpty();
    }

    @Test
    void unknownBlockedAndMigratedChats() {
        telegram.userSends(ALICE, "Alice", "en", "hi");
        telegram.userSendsInGroup(-500, ALICE, "Alice", "en", "hi all");
        telegram.blockBy(ALICE);
        telegram.migrate(-500, -100500);

        BotClient.Answer unknown = bot.call("sendMessage", Map.of("chat_id", 42, "text", "x"));
        BotClient.Answer blocked = bot.call("sendMessage", Map.of("chat_id", ALICE, "text", "x"));
        BotClient.Answer migrated = bot.call("sendMessage", Map.of("chat_id", -500, "text", "x"));
        BotClient.Answer supergroup = bot.call("sendMessage", Map.of("chat_id", -100500, "text", "x"));

        assertThat(unknown.body().get("description").asText()).isEqualTo("Bad Request: chat not found");
        assertThat(blocked.status()).isEqualTo(403);
        assertThat(blocked.body().get("description").asText()).isEqualTo("Forbidden: bot was blocked by the user");
        assertThat(migrated.body().get("description").asText()).isEqualTo("Bad Request: group chat was upgraded to a supergroup chat");
        assertThat(migrated.body().at("/parameters/migrate_to_chat_id").asLong()).isEqualTo(-100500);
        assertThat(supergroup.result().at("/chat/type").asText()).isEqualTo("supergroup");
    }

    @Test
    void injectedFailureAnswersOnce() {
        telegram.userSends(ALICE, "Alice", "en", "hi");
        telegram.failNext("sendMessage", 502, "Bad Gateway", null);

        assertThat(bot.call("sendMessage", Map.of("chat_id", ALICE, "text", "x")).status()).isEqualTo(502);
        assertThat(bot.call("sendMessage", Map.of("chat_id", ALICE, "text", "x")).status()).isEqualTo(200);
    }

    @Test
    void aLostAnswerStillDeliversTheMessageButTheCallerNeverHearsBack() {
        telegram.userSends(ALICE, "Alice", "en", "hi");
        telegram.loseNextAnswer("sendMessage");

        assertThatThrownBy(() -> bot.call("sendMessage", Map.of("chat_id", ALICE, "text", "sent into the void")))
                .hasRootCauseInstanceOf(IOException.class);
        assertThat(telegram.botMessages(ALICE)).extracting(BotMessage::text).contains("sent into the void");
        assertThat(bot.call("sendMessage", Map.of("chat_id", ALICE, "text", "heard")).status()).isEqualTo(200);
    }

    @Test
    void buttonsEditsReactionsAndDeletion() {
        Message hello = telegram.userSends(ALICE, "Alice", "en", "hi");
        JsonNode sent = bot.call("sendMessage", Map.of("chat_id", ALICE, "text", "Pick one", "reply_markup",
                Map.of("inline_keyboard", List.of(List.of(Map.of("text", "Again", "callback_data", "again")))))).result();
        int messageId = sent.get("message_id").asInt();
        telegram.userPresses(ALICE, ALICE, messageId, "again");
        JsonNode query = bot.call("getUpdates", Map.of()).result().get(1).get("callback_query");
        assertThat(query.get("data").asText()).isEqualTo("again");

        assertThat(bot.call("answerCallbackQuery", Map.of("callback_query_id", query.get("id").asText(), "text", "OK"))
                .status()).isEqualTo(200);
        assertThat(bot.call("answerCallbackQuery", Map.of("callback_query_id", query.get("id").asText())).body()
                .get("description").asText())
                .isEqualTo("Bad Request: query is too old and response timeout expired or query ID is invalid");
        bot.call("editMessageText", Map.of("chat_id", ALICE, "message_id", messageId, "text", "Picked"));
        bot.call("setMessageReaction", Map.of("chat_id", ALICE, "message_id", hello.messageId(),
                "reaction", List.of(Map.of("type", "emoji", "emoji", "👍"))));
        BotMessage edited = telegram.awaitBotMessage(ALICE, m -> m.editCount() == 1, WAIT);
        assertThat(edited.text()).isEqualTo("Picked");
        assertThat(edited.replyMarkup()).isNull();
        assertThat(telegram.reactions(ALICE)).containsEntry(hello.messageId(), List.of("👍"));
        assertThat(bot.call("editMessageText", Map.of("chat_id", ALICE, "message_id", messageId, "text", "Picked"))
                .body().get("description").asText()).startsWith("Bad Request: message is not modified");

        assertThat(bot.call("deleteMessage", Map.of("chat_id", ALICE, "message_id", messageId)).status()).isEqualTo(200);
        assertThat(telegram.botMessages(ALICE).get(0).deleted()).isTrue();
        assertThat(bot.call("deleteMessage", Map.of("chat_id", ALICE, "message_id", messageId)).body()
                .get("description").asText()).isEqualTo("Bad Request: message to delete not found");
    }

    @Test
    void inlineKeyboardsKeepTelegramsLimitsAndEditsReplaceThem() {
        telegram.userSends(ALICE, "Alice", "en", "/settings");
        String longest = "1001:ar:" + "я".repeat(28);
        JsonNode sent = bot.call("sendMessage", Map.of("chat_id", ALICE, "text", "Model",
                "reply_markup", keyboard("A", longest))).result();
        int messageId = sent.get("message_id").asInt();
        assertThat(sent.at("/reply_markup/inline_keyboard/0/0/callback_data").asText()).isEqualTo(longest);

        assertThat(bot.call("sendMessage", Map.of("chat_id", ALICE, "text", "Model",
                "reply_markup", keyboard("A", longest + "x"))).body().get("description").asText())
                .as("65 bytes").isEqualTo("Bad Request: BUTTON_DATA_INVALID");
        assertThat(bot.call("editMessageReplyMarkup", Map.of("chat_id", ALICE, "message_id", messageId,
                "reply_markup", keyboard("A", ""))).body().get("description").asText())
                .isEqualTo("Bad Request: BUTTON_DATA_INVALID");

        assertThat(bot.call("editMessageReplyMarkup", Map.of("chat_id", ALICE, "message_id", messageId,
                "reply_markup", keyboard("✅ A", longest))).status()).isEqualTo(200);
        BotMessage edited = telegram.awaitBotMessage(ALICE, m -> m.editCount() == 1, WAIT);
        assertThat(edited.text()).isEqualTo("Model");
        assertThat(edited.replyMarkup().at("/inline_keyboard/0/0/text").asText()).isEqualTo("✅ A");
        assertThat(bot.call("editMessageText", Map.of("chat_id", ALICE, "message_id", messageId, "text", "Model",
                "reply_markup", keyboard("✅ A", longest))).body().get("description").asText())
                .as("same text and buttons").startsWith("Bad Request: message is not modified");
        assertThat(bot.call("editMessageText", Map.of("chat_id", ALICE, "message_id", messageId, "text", "Model: B",
                "reply_markup", keyboard("✅ B", "1001:m:b"))).status()).isEqualTo(200);
        assertThat(telegram.awaitBotMessage(ALICE, m -> m.editCount() == 2, WAIT).text()).isEqualTo("Model: B");
    }

    private static Map<String, Object> keyboard(String text, String data) {
        return Map.of("inline_keyboard", List.of(List.of(Map.of("text", text, "callback_data", data))));
    }

    @Test
    void awaitFailsWithAClearMessageOnTimeout() {
        telegram.userSends(ALICE, "Alice", "en", "hi");

        assertThatThrownBy(() -> telegram.awaitBotMessage(ALICE, m -> true, Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("chat " + ALICE);
    }

    static byte[] png(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            image.setRGB(x, height / 2, 0xff8800);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
