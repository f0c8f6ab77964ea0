package imagine.local.bot;

import java.nio.file.Path;
import java.time.Duration;
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
     * The lock of test classes on the {@link #STANDARD} bot (JUnit's {@code @ResourceLock}). End-to-end classes run
     * two at a time, but one at a time on this bot: a fault cued on it hits whichever job comes next, and a drained
     * jobs queue must mean that the class's own jobs are done.
     */
    static final String STANDARD_LOCK = "the standard local bot";

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
        return LocalBot.Settings.forTests(modelLatency).withParameters(Map.of("RetryFirstDelaySeconds", "0"));
    }

    /** The bot this JVM's tests share for these settings, started by the first to ask. */
    static LocalBot shared(LocalBot.Settings settings) {
        return SHARED.computeIfAbsent(settings, LocalBots::own);
    }

    /** A bot of the caller's own, to close when done. */
    static LocalBot own(LocalBot.Settings settings) {
        return LocalBot.start(PROJECT, settings, Map.of());
    }

    /** A Telegram user, and so a private chat, that no other test in this JVM uses. */
    static long newUser() {
        return USERS.incrementAndGet();
    }
}
