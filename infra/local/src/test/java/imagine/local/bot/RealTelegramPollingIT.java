package imagine.local.bot;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.local.telegram.BotMessage;
import imagine.local.telegram.LocalTelegram;
import imagine.local.telegram.Message;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bot as it runs against the real Telegram from a machine with no public URL: no webhook is set,
 * so it long-polls getUpdates and hands each update to the local webhook. A separate local Telegram
 * stands in for api.telegram.org.
 */
class RealTelegramPollingIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static LocalTelegram telegram;
    private static LocalBot bot;

    @BeforeAll
    static void start() {
        telegram = LocalTelegram.start(LocalTelegram.Options.builder().build());
        bot = LocalBot.start(LocalBots.PROJECT, LocalBots.quick(Duration.ofSeconds(1)), Map.of(
                "TELEGRAM_BOT_TOKEN", telegram.botToken(), "TELEGRAM_API_URL", telegram.baseUrl().toString()));
    }

    @AfterAll
    static void stop() {
        bot.close();
        telegram.close();
    }

    @Test
    void theBotUsesTheTelegramItWasGivenInsteadOfItsOwn() {
        assertThat(bot.telegram()).isNull();
    }

    @Test
    void aMessageIsAcknowledgedAndAnsweredWithAPhoto() {
        long user = LocalBots.newUser();
        Message sent = telegram.userSends(user, "Alice", "en", "a red fox in the snow --n 1");

        BotMessage acknowledgement = telegram.awaitBotMessage(user, m -> m.text() != null, WAIT);
        BotMessage photo = telegram.awaitBotMessage(user, BotMessage::isPhoto, WAIT);

        assertThat(acknowledgement.text()).startsWith("Got it: drawing with");
        assertThat(acknowledgement.replyToMessageId()).isEqualTo(sent.messageId());
        assertThat(photo.caption()).endsWith("\na red fox in the snow");
        assertThat(photo.replyToMessageId()).isEqualTo(sent.messageId());
    }

    @Test
    void twoMessagesSentAtOnceAreBothAnsweredInTheOrderTheyWereSent() {
        long user = LocalBots.newUser();
        Message first = telegram.userSends(user, "Борис", "ru", "маяк в сумерках --n 1");
        Message second = telegram.userSends(user, "Борис", "ru", "лиса в снегу --n 1");

        List<BotMessage> photos = telegram.awaitBotMessages(user, 2, BotMessage::isPhoto, WAIT);

        assertThat(acknowledgements(user)).extracting(BotMessage::replyToMessageId)
                .containsExactly(first.messageId(), second.messageId());
        assertThat(photos).extracting(BotMessage::replyToMessageId)
                .containsExactlyInAnyOrder(first.messageId(), second.messageId());
    }

    @Test
    void anAcknowledgementTelegramRefusesDoesNotHoldUpTheUpdatesAfterIt() {
        long blocker = LocalBots.newUser();
        long other = LocalBots.newUser();
        telegram.userSends(blocker, "Carol", "en", "/start");
        telegram.awaitBotMessage(blocker, m -> m.text() != null, WAIT);
        telegram.blockBy(blocker);
        telegram.userSends(blocker, "Carol", "en", "a kite over the sea --n 1");
        telegram.userSends(other, "Dan", "en", "a paper boat --n 1");

        BotMessage photo = telegram.awaitBotMessage(other, BotMessage::isPhoto, WAIT);

        assertThat(photo.caption()).endsWith("\na paper boat");
        assertThat(acknowledgements(other)).hasSize(1);
    }

    private static List<BotMessage> acknowledgements(long chatId) {
        return telegram.botMessages(chatId).stream().filter(message -> message.text() != null).toList();
    }
}
