package imagine.worker;

import imagine.core.S3Documents;
import imagine.core.S3Documents.Versioned;
import imagine.core.StorageKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Hands out send times across every worker at once, within both of Telegram's limits: the chat's, about one message
 * a second in a private chat and twenty a minute in a group, kept in the chat's pacing document by compare-and-swap;
 * and the bot's, kept by {@link TelegramSendSlots}. A send first takes a slot of the bot's at or after the chat's
 * next free time, then moves the chat's turn past that slot, so neither reservation leaves the other's unused: a
 * slot whose chat another worker took meanwhile is kept when it still fits, and given back when it does not.
 */
final class S3ChatPacer implements ChatPacer {
    static final Duration PRIVATE_INTERVAL = Duration.ofMillis(1100);
    static final Duration GROUP_INTERVAL = Duration.ofMillis(3100);
    /** Longer waits go back to the queue rather than holding an invocation. */
    static final Duration MAX_WAIT = Duration.ofSeconds(20);
    private static final int ATTEMPTS = 20;

    private final S3Documents<Slot> chats;
    private final TelegramSendSlots bot;
    private final Clock clock;
    private final Sleeper sleeper;

    S3ChatPacer(S3Client s3, String bucket, TelegramSendSlots bot, Clock clock, Sleeper sleeper) {
        this.chats = new S3Documents<>(s3, bucket, Slot.class);
        this.bot = bot;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** @param nextFreeAt epoch millis from which the chat may receive its next message */
    record Slot(long nextFreeAt) {
    }

    @Override
    public void awaitTurn(long chatId, int messages) throws InterruptedException {
        long wait = reserve(chatId, messages) - clock.millis();
        if (wait > 0) {
            sleeper.sleep(wait);
        }
    }

    /** When the messages may go to the chat, in epoch millis, reserved for them. */
    long reserve(long chatId, int messages) throws InterruptedException {
        Duration interval = chatId < 0 ? GROUP_INTERVAL : PRIVATE_INTERVAL;
        String key = StorageKeys.chatPacing(chatId);
        TelegramSendSlots.Taken held = null;
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                long now = clock.millis();
                Optional<Versioned<Slot>> current = chats.read(key);
                long earliest = Math.max(now, current.map(stored -> stored.value().nextFreeAt()).orElse(0L));
                long wait = earliest - now;
                if (wait > MAX_WAIT.toMillis()) {
                    throw new RetryLater("chat " + chatId + " is busy for " + wait + " ms", Duration.ofMillis(wait));
                }
                if (held == null || held.at() < earliest) {
                    if (held != null) {
                        bot.release(held);
                        held = null;
                    }
                    held = bot.take(earliest, messages);
                }
                Slot mine = new Slot(held.at() + interval.toMillis());
                Optional<Versioned<Slot>> reserved = current.isPresent()
                        ? chats.replace(key, current.get(), mine)
                        : chats.create(key, mine);
                if (reserved.isPresent()) {
                    long at = held.at();
                    held = null;
                    return at;
                }
                sleeper.sleep(ThreadLocalRandom.current().nextLong(5, 50));
            }
            throw new RetryLater("too many workers are sending to chat " + chatId + " at once", Duration.ofSeconds(1));
        } finally {
            if (held != null) {
                bot.release(held);
            }
        }
    }
}
