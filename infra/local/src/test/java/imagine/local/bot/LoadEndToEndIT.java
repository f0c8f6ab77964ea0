package imagine.local.bot;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.local.replicate.Prediction;
import imagine.local.telegram.BotMessage;
import imagine.local.telegram.LocalTelegram;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Twenty users send three prompts of two images each at the same moment: a hundred and twenty images, every one
 * delivered, acknowledgements fast while they generate, and Telegram's per-chat limit never reached.
 */
@Isolated("its acknowledgement times and Telegram's flood limit measure the machine: nothing else runs meanwhile")
class LoadEndToEndIT {
    private static final int USERS = 20;
    private static final int PROMPTS = 3;
    private static final int IMAGES = 2;
    private static final Duration LATENCY = Duration.ofSeconds(3);

    @Test
    void twentyUsersAtOnceGetEveryImage() throws Exception {
        try (LocalBot bot = LocalBots.own(LocalBots.quick(LATENCY).withParameters(Map.of(
                "ImagesPerPrompt", Integer.toString(IMAGES), "WorkerMaximumConcurrency", "10")))) {
            LocalTelegram telegram = bot.telegram();
            ExecutorService users = Executors.newFixedThreadPool(USERS);
            List<Long> ackMillis = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch acknowledged = new CountDownLatch(USERS);
            long started = System.nanoTime();
            List<CompletableFuture<Void>> conversations = LongStream.rangeClosed(1, USERS)
                    .mapToObj(i -> CompletableFuture.runAsync(() -> {
                        long user = 9000 + i;
                        String prompts = LongStream.rangeClosed(1, PROMPTS)
                                .mapToObj(p -> "user " + user + " prompt " + p).collect(Collectors.joining("\n"));
                        long sent = System.nanoTime();
                        telegram.userSends(user, "User " + i, i % 2 == 0 ? "ru" : "en", prompts);
                        telegram.awaitBotMessage(user, m -> m.text() != null, Duration.ofSeconds(60));
                        ackMillis.add((System.nanoTime() - sent) / 1_000_000);
                        acknowledged.countDown();
                        telegram.awaitBotMessages(user, PROMPTS * IMAGES, BotMessage::isPhoto, Duration.ofSeconds(240));
                    }, users))
                    .toList();
            assertThat(acknowledged.await(60, TimeUnit.SECONDS)).as("every user acknowledged").isTrue();
            List<Long> busyAckMillis = acknowledgementsWhileBusy(telegram);
            conversations.forEach(CompletableFuture::join);
            long makespan = (System.nanoTime() - started) / 1_000_000;
            users.shutdown();

            List<Prediction> predictions = bot.replicate().predictions();
            long photos = LongStream.rangeClosed(1, USERS)
                    .map(i -> telegram.botMessages(9000 + i).stream().filter(BotMessage::isPhoto).count()).sum();
            Collections.sort(ackMillis);
            System.out.printf("load: %d users, %d images requested, %d photos delivered, %d predictions, "
                            + "%d Telegram 429s; acknowledgement of the first wave (cold webhook) p50 %d ms p99 %d ms, "
                            + "while generating (warm) p50 %d ms p99 %d ms; all delivered in %d ms (model latency %d ms)%n",
                    USERS, USERS * PROMPTS * IMAGES, photos, predictions.size(), telegram.tooManyRequestsCount(),
                    percentile(ackMillis, 50), percentile(ackMillis, 99), percentile(busyAckMillis, 50),
                    percentile(busyAckMillis, 99), makespan, LATENCY.toMillis());

            assertThat(photos).isEqualTo(USERS * PROMPTS * IMAGES);
            assertThat(predictions).hasSize(USERS * PROMPTS * IMAGES);
            assertThat(predictions).extracting(p -> p.input().get("prompt") + "#" + p.input().get("seed"))
                    .doesNotHaveDuplicates();
            assertThat(telegram.calls()).as("sends that hit Telegram's per-chat limit")
                    .filteredOn(call -> call.errorCode() == 429).isEmpty();
            assertThat(percentile(busyAckMillis, 99)).as("acknowledgement p99 in ms while generating").isLessThan(2_000);
        }
    }

    /** Once the first wave is acknowledged, other users ask for /help one after another while its images generate. */
    private static List<Long> acknowledgementsWhileBusy(LocalTelegram telegram) {
        List<Long> millis = new ArrayList<>();
        for (long user = 9500; user < 9520; user++) {
            long sent = System.nanoTime();
            telegram.userSends(user, "Probe", "en", "/help");
            telegram.awaitBotMessage(user, m -> m.text() != null, Duration.ofSeconds(30));
            millis.add((System.nanoTime() - sent) / 1_000_000);
        }
        Collections.sort(millis);
        return millis;
    }

    private static long percentile(List<Long> sorted, int percent) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * percent / 100.0) - 1));
    }
}
