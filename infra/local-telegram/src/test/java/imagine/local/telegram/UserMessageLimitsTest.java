package imagine.local.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a user can send is what Telegram lets through: a text over 4096 UTF-16 units arrives as consecutive messages,
 * cut where Telegram Desktop cuts it, each its own update; a caption over 1024 is refused with Telegram's error.
 */
class UserMessageLimitsTest {
    private static final String TOKEN = "123456:TEST-token";
    private static final long ALICE = 1001;

    private LocalTelegram telegram;
    private BotClient bot;

    @BeforeEach
    void start() {
        telegram = LocalTelegram.start(LocalTelegram.Options.builder().botToken(TOKEN).build());
        bot = new BotClient(telegram.baseUrl(), TOKEN);
    }

    @AfterEach
    void stop() {
        telegram.close();
    }

    @Test
    void aTextOfExactlyTheLimitIsOneMessage() {
        telegram.userSends(ALICE, "Alice", "en", "x".repeat(4096));

        assertThat(texts()).singleElement().satisfies(text -> assertThat(text).hasSize(4096));
    }

    @Test
    void aLongTextArrivesAsConsecutiveMessagesCutBetweenParagraphsFirst() {
        String first = sentences("The fox runs. ", 2500);
        String second = sentences("A lighthouse stands at dusk, quiet. ", 3000);
        String text = first + "\n\n" + second;

        Message sent = telegram.userSends(ALICE, "Alice", "en", text);

        List<JsonNode> messages = messages();
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).get("message_id").asInt()).isEqualTo(sent.messageId());
        assertThat(messages.get(1).get("message_id").asInt()).isEqualTo(sent.messageId() + 1);
        assertThat(texts()).containsExactly(first.strip(), second.strip());
    }

    @Test
    void withoutParagraphsATextIsCutAfterASentenceAndEveryPartFits() {
        String text = sentences("A red fox sleeps in the snow, and dreams. ", 12_000);

        telegram.userSends(ALICE, "Alice", "en", text);

        List<String> parts = texts();
        assertThat(parts).hasSize(3).allSatisfy(part -> assertThat(part).hasSizeLessThanOrEqualTo(4096)
                .endsWith("dreams.").startsWith("A red fox"));
        assertThat(String.join(" ", parts)).isEqualTo(text.strip());
    }

    @Test
    void aCutNeverSplitsAnEmoji() {
        String text = "🦊".repeat(3000);

        telegram.userSends(ALICE, "Alice", "en", text);

        List<String> parts = texts();
        assertThat(parts).hasSize(2).allSatisfy(part -> {
            assertThat(part.length()).isLessThanOrEqualTo(4096).isEven();
            assertThat(part.replace("🦊", "")).isEmpty();
        });
        assertThat(String.join("", parts)).isEqualTo(text);
    }

    @Test
    void aCaptionOverTheLimitIsRefusedWithTelegramsErrorAndNothingIsSent() throws Exception {
        byte[] png = LocalTelegramTest.png(20, 20);

        assertThatThrownBy(() -> telegram.userSendsPhoto(ALICE, "Alice", "en", png, "c".repeat(1025)))
                .hasMessage("Bad Request: message caption is too long");
        Message exact = telegram.userSendsPhoto(ALICE, "Alice", "en", png, "c".repeat(1024));

        assertThat(messages()).singleElement().satisfies(message -> {
            assertThat(message.get("message_id").asInt()).isEqualTo(exact.messageId());
            assertThat(message.get("caption").asText()).hasSize(1024);
        });
    }

    private static String sentences(String sentence, int length) {
        return sentence.repeat(length / sentence.length() + 1);
    }

    private List<JsonNode> messages() {
        List<JsonNode> messages = new ArrayList<>();
        bot.call("getUpdates", Map.of()).result().forEach(update -> messages.add(update.get("message")));
        return messages;
    }

    private List<String> texts() {
        return messages().stream().map(message -> message.get("text").asText()).toList();
    }
}
