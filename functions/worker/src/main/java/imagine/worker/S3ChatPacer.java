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
 * Hands out send times per chat across every worker at once: each send reserves the chat's next free
 * slot in its pacing document by compare-and-swap, then waits for it. Telegram allows
 * about one message a second in a private chat and twenty a minute in a group.
 */
final class S3ChatPacer implements ChatPacer {
    static final Duration PRIVATE_INTERVAL = Duration.ofMillis(1100);
    static final Duration GROUP_INTERVAL = Duration.ofMillis(3100);
    /** Longer waits go back to the queue rather than holding an invocation. */
    static final Duration MAX_WAIT = Duration.ofSeconds(20);
    private static final int ATTEMPTS = 20;

    private final S3Documents<Slot> slots;
    private final Clock clock;
    private final Sleeper sleeper;

    S3ChatPacer(S3Client s3, String bucket, Clock clock, Sleeper sleeper) {
        this.slots = new S3Documents<>(s3, bucket, Slot.class);
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** @param nextFreeAt epoch millis from which the chat may receive its next message */
    record Slot(long nextFreeAt) {
    }

    @Override
    public void awaitTurn(long chatId) throws InterruptedException {
        Duration interval = chatId < 0 ? GROUP_INTERVAL : PRIVATE_INTERVAL;
        String key = StorageKeys.chatPacing(chatId);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long now = clock.millis();
            Optional<Versioned<Slot>> current = slots.read(key);
            long slot = Math.max(now, current.map(stored -> stored.value().nextFreeAt()).orElse(0L));
            long wait = slot - now;
            if (wait > MAX_WAIT.toMillis()) {
                throw new RetryLater("chat " + chatId + " is busy for " + wait + " ms", Duration.ofMillis(wait));
            }
            Slot mine = new Slot(slot + interval.toMillis());
            Optional<Versioned<Slot>> reserved = current.isPresent()
                    ? slots.replace(key, current.get(), mine)
                    : slots.create(key, mine);
            if (reserved.isPresent()) {
                if (wait > 0) {
                    sleeper.sleep(wait);
                }
                return;
            }
            sleeper.sleep(ThreadLocalRandom.current().nextLong(5, 50));
        }
        throw new RetryLater("too many workers are sending to chat " + chatId + " at once", Duration.ofSeconds(1));
    }
}
