package imagine.local.bot;

import imagine.local.telegram.BotMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Local bots for the end-to-end tests. Test classes that ask for equal settings share one bot in this JVM, so its
 * start and its warm function environments are paid once, and keep apart by their users ({@link #newUser()}); the
 * shared bots close when the JVM exits. Tests that change a bot for good (a quota, a shorter visibility timeout,
 * killed workers) or watch all of its output start one of their own.
 */
final class LocalBots {
    static final Path PROJECT = Path.of("../..");
    /** What most end-to-end tests run on: two images per prompt unless a prompt asks otherwise. */
    static final LocalBot.Settings STANDARD = quick(Duration.ofSeconds(3))
            .withParameters(Map.of("ImagesPerPrompt", "2", "BlockedTerms", "gore"));
    /**
     * The lock of test classes on the {@link #STANDARD} bot (JUnit's {@code @ResourceLock}). A class that cues faults
     * on it (they hit whichever job comes next) or times its jobs against each other holds it alone (READ_WRITE);
     * others share it (READ).
     */
    static final String STANDARD_LOCK = "the standard local bot";
    /**
     * The local model's pictures in these tests, which look at what arrives (its kind, ratio, caption), not at its
     * pixels: a 1024-pixel picture costs the stand-ins about twenty times the CPU of this one to draw and thumbnail,
     * on the two cores every function shares with them.
     */
    static final int SMALL_PICTURES = 256;

    private static final Map<LocalBot.Settings, LocalBot> SHARED = new ConcurrentHashMap<>();
    private static final AtomicLong USERS = new AtomicLong(100_000);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> SHARED.values().forEach(LocalBot::close),
                "local-bots-close"));
    }

    private LocalBots() {
    }

    /**
     * Free ports, state in memory, a model that answers after {@code modelLatency}, and failed jobs back on the
     * queue at once (RetryFirstDelaySeconds 0) instead of after the deployed backoff, so a job's five receives
     * take seconds.
     */
    static LocalBot.Settings quick(Duration modelLatency) {
        return LocalBot.Settings.forTests(modelLatency).withParameters(Map.of("RetryFirstDelaySeconds", "0"))
                .withPictureLongSide(SMALL_PICTURES);
    }

    /** The bot this JVM's tests share for these settings, started and warmed by the first to ask. */
    static LocalBot shared(LocalBot.Settings settings) {
        return SHARED.computeIfAbsent(settings, unused -> warm(own(settings)));
    }

    /** A bot of the caller's own, to close when done. */
    static LocalBot own(LocalBot.Settings settings) {
        return LocalBot.start(PROJECT, settings, Map.of());
    }

    /**
     * Two users ask for four images each, two batches' worth, so the webhook and two worker environments are up as
     * on a bot in use: a test showing jobs run side by side then does not time how fast this machine starts one.
     */
    private static LocalBot warm(LocalBot bot) {
        List<Long> users = List.of(newUser(), newUser());
        users.forEach(user -> bot.telegram().userSends(user, "Warm-up", "en", "warming up " + user + " --n 4"));
        users.forEach(user -> bot.telegram().awaitBotMessages(user, 4, BotMessage::isPhoto, Duration.ofSeconds(120)));
        return bot;
    }

    /** A Telegram user, and so a private chat, that no other test in this JVM uses. */
    static long newUser() {
        return USERS.incrementAndGet();
    }
}
