package imagine.benchmark;

import imagine.local.bot.LocalBot;
import imagine.local.telegram.ApiCall;
import imagine.local.telegram.LocalTelegram;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends a workload's updates to the webhook at once, keeps probing the webhook while the images generate, and
 * waits until Telegram has received every image.
 */
final class FanOut {
    static final Duration PROBE_INTERVAL = Duration.ofMillis(100);
    private static final long PROBE_USER = 1;

    private final LocalBot bot;
    private final WebhookPoster poster;
    private final Set<Long> knownChats = new HashSet<>();

    FanOut(LocalBot bot) {
        this.bot = bot;
        this.poster = new WebhookPoster(bot);
    }

    /**
     * Telegram only delivers to chats that exist: each user says /start first, outside any measurement, one after
     * the other so the webhook's environments are not multiplied by a burst that is no part of the workload.
     */
    void openChats(List<Long> users) {
        LocalTelegram telegram = bot.telegram();
        for (long user : users) {
            if (knownChats.add(user)) {
                telegram.userSends(user, "User" + user, "en", "/start");
                telegram.awaitBotMessage(user, message -> true, Duration.ofSeconds(60));
            }
        }
    }

    WaveResult run(Workload workload, Duration timeout) throws Exception {
        openChats(workload.userIds());
        openChats(List.of(PROBE_USER));
        LocalTelegram telegram = bot.telegram();
        int tooManyBefore = telegram.tooManyRequestsCount();
        long coldBefore = coldStarts();
        Set<Long> chats = Set.copyOf(workload.userIds());
        List<Long> acks = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService senders = Executors.newFixedThreadPool(Math.min(64, workload.users() + 1));
        try {
            Instant start = Instant.now();
            long cpuStart = ProcessCpu.nanos();
            List<Future<?>> sent = new ArrayList<>();
            for (long user : workload.userIds()) {
                sent.add(senders.submit(() -> {
                    acks.add(poster.post(user, workload.message(user)));
                    return null;
                }));
            }
            Future<?> probe = senders.submit(() -> {
                while (!done.get()) {
                    acks.add(poster.post(PROBE_USER, "/help"));
                    Thread.sleep(PROBE_INTERVAL.toMillis());
                }
                return null;
            });
            for (Future<?> future : sent) {
                future.get();
            }
            List<ApiCall> delivered = awaitImages(telegram, chats, start, workload.images(), timeout);
            long cpu = ProcessCpu.nanos() - cpuStart;
            done.set(true);
            probe.get();
            Instant last = delivered.stream().map(ApiCall::time).max(Instant::compareTo).orElse(start);
            return new WaveResult(workload, Duration.between(start, last).toNanos(), longestPrediction(start),
                    delivered.size(), telegram.tooManyRequestsCount() - tooManyBefore,
                    coldStarts() - coldBefore, List.copyOf(acks), cpu);
        } finally {
            done.set(true);
            senders.shutdownNow();
        }
    }

    private static List<ApiCall> awaitImages(LocalTelegram telegram, Set<Long> chats, Instant start, int expected,
            Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ApiCall> delivered = telegram.calls().stream()
                    .filter(call -> call.ok() && call.chatId() != null && chats.contains(call.chatId()))
                    .filter(call -> call.method().equals("sendPhoto") || call.method().equals("sendDocument"))
                    .filter(call -> !call.time().isBefore(start))
                    .toList();
            if (delivered.size() >= expected || System.nanoTime() > deadline) {
                return delivered;
            }
            Thread.sleep(20);
        }
    }

    private long longestPrediction(Instant start) {
        return bot.replicate().predictions().stream()
                .filter(p -> !p.createdAt().isBefore(start) && p.completedAt() != null)
                .mapToLong(p -> Duration.between(p.createdAt(), p.completedAt()).toNanos())
                .max().orElse(0);
    }

    /** Environments of the functions that run the images: the worker, and the callback function in callback mode. */
    private long coldStarts() {
        return bot.platform().function("WorkerFunction").coldStarts()
                + bot.platform().function("CallbackFunction").coldStarts();
    }
}
