package imagine.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The bot's messages across workers stay within Telegram's per-bot rate, over the local S3. In the crowd, fifty
 * workers send three messages each, every one to a chat of its own, all at once. Each worker lives on a clock of its
 * own that moves only when it waits (for its turn, or on the queue when its turn is too far off), so the test sleeps
 * for nothing and a slow machine changes no send time.
 */
class BotSendRateTest {
    private static final int WORKERS = 50;
    private static final int MESSAGES = 3;
    private static final int RATE = TelegramSendSlots.DEFAULT_PER_SECOND;
    private static S3Stub s3;

    private final WorkerClocks clocks = new WorkerClocks(Instant.parse("2026-11-24T10:00:00.437Z"));
    private final Map<String, AtomicInteger> writes = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        s3 = new S3Stub();
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    private record Send(long chatId, long at) {
    }

    @Test
    void workersAtOnceStayWithinTheBotsRateInEverySecondWithoutAHotKey() throws Exception {
        S3Client counted = counting(s3.client());
        S3ChatPacer pacer = new S3ChatPacer(counted, S3Stub.BUCKET,
                new TelegramSendSlots(counted, S3Stub.BUCKET, RATE, clocks), clocks, clocks::advance);
        List<Send> sends = new CopyOnWriteArrayList<>();
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            long chatId = 5000 + i;
            running.add(CompletableFuture.runAsync(() -> {
                for (int message = 0; message < MESSAGES; message++) {
                    sendWhenPaced(pacer, chatId);
                    sends.add(new Send(chatId, clocks.millis()));
                }
            }, workers));
        }
        running.forEach(CompletableFuture::join);
        workers.shutdown();

        List<Long> times = sends.stream().map(Send::at).sorted().toList();
        assertThat(times).hasSize(WORKERS * MESSAGES);
        assertThat(busiestSecond(times)).as("messages the bot sent in its busiest second").isLessThanOrEqualTo(RATE);
        sends.stream().collect(Collectors.groupingBy(Send::chatId)).values().forEach(chat -> {
            List<Long> own = chat.stream().map(Send::at).sorted().toList();
            for (int i = 1; i < own.size(); i++) {
                assertThat(own.get(i) - own.get(i - 1)).as("a chat's messages apart")
                        .isGreaterThanOrEqualTo(S3ChatPacer.PRIVATE_INTERVAL.toMillis());
            }
        });
        assertThat(times.get(99) - times.get(0)).as("the bot's first hundred messages, at %d a second", RATE)
                .isLessThan(Duration.ofSeconds(5).toMillis());
        // A chat's document takes a write per message to it, a sender's key two (said, forgotten), a slot one and a
        // few refused when senders arriving at once did not see each other in time. One document for every send would
        // take all 150.
        Map.Entry<String, AtomicInteger> hottest = writes.entrySet().stream()
                .max(Comparator.comparingInt(entry -> entry.getValue().get())).orElseThrow();
        assertThat(hottest.getValue().get()).as("writes to the most written key, %s", hottest.getKey())
                .isLessThanOrEqualTo(6);
    }

    @Test
    void aSenderAloneGoesAtTheFirstSlotAndAnAlbumTakesOneForEachPicture() {
        Clock alone = Clock.fixed(Instant.parse("2026-11-24T11:00:00.437Z"), ZoneOffset.UTC);
        TelegramSendSlots slots = new TelegramSendSlots(s3.client(), S3Stub.BUCKET, RATE, alone);
        long step = 1000 / RATE;

        TelegramSendSlots.Taken message = slots.take(alone.millis(), 1);
        TelegramSendSlots.Taken album = slots.take(alone.millis(), 4);

        assertThat(message.at() - alone.millis()).isBetween(0L, step);
        assertThat(album.keys()).hasSize(4).doesNotContainAnyElementsOf(message.keys());
        assertThat(album.at()).isEqualTo(message.at() + 4 * step);
    }

    @Test
    void aSendFindingTheWindowTakenWaitsOnTheQueueUntilItHasPassed() {
        Clock full = Clock.fixed(Instant.parse("2026-11-24T12:00:00.437Z"), ZoneOffset.UTC);
        TelegramSendSlots oneASecond = new TelegramSendSlots(s3.client(), S3Stub.BUCKET, 1, full);
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < TelegramSendSlots.WINDOW.toSeconds(); i++) {
            times.add(oneASecond.take(full.millis(), 1).at() - full.millis());
        }

        assertThat(times).containsExactly(563L, 1563L, 2563L, 3563L, 4563L);
        assertThatThrownBy(() -> oneASecond.take(full.millis(), 1)).isInstanceOfSatisfying(RetryLater.class,
                later -> assertThat(later.after()).isGreaterThanOrEqualTo(TelegramSendSlots.WINDOW));
    }

    /** Waits for the turn; a turn too far off sends the job to wait on the queue, after which it asks again. */
    private void sendWhenPaced(S3ChatPacer pacer, long chatId) {
        while (true) {
            try {
                pacer.awaitTurn(chatId, 1);
                return;
            } catch (RetryLater later) {
                clocks.advance(later.after().toMillis());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The most messages within any one second, counted from each message on. */
    private static int busiestSecond(List<Long> sortedTimes) {
        int busiest = 0;
        int end = 0;
        for (int start = 0; start < sortedTimes.size(); start++) {
            while (end < sortedTimes.size() && sortedTimes.get(end) < sortedTimes.get(start) + 1000) {
                end++;
            }
            busiest = Math.max(busiest, end - start);
        }
        return busiest;
    }

    /** The bucket's client, counting the writes (puts, whether S3 took them or not, and deletes) to each key. */
    private S3Client counting(S3Client s3) {
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                (proxy, method, args) -> {
                    if (args != null && args[0] instanceof Consumer) {
                        // The request's builder form: built, it comes back through this client as a request.
                        return InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    if (args != null && args[0] instanceof PutObjectRequest put) {
                        writes.computeIfAbsent(put.key(), key -> new AtomicInteger()).incrementAndGet();
                    } else if (args != null && args[0] instanceof DeleteObjectRequest delete) {
                        writes.computeIfAbsent(delete.key(), key -> new AtomicInteger()).incrementAndGet();
                    }
                    try {
                        return method.invoke(s3, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A clock per worker thread, from one start; each moves only by what its own worker waits. */
    private static final class WorkerClocks extends Clock {
        private final long start;
        private final ThreadLocal<long[]> waited = ThreadLocal.withInitial(() -> new long[1]);

        WorkerClocks(Instant start) {
            this.start = start.toEpochMilli();
        }

        void advance(long millis) {
            waited.get()[0] += millis;
        }

        @Override
        public long millis() {
            return start + waited.get()[0];
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
