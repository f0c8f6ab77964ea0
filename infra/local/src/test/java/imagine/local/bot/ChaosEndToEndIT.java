package imagine.local.bot;

import static imagine.local.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import imagine.local.replicate.Fault;
import imagine.local.replicate.LocalReplicate;
import imagine.local.replicate.Prediction;
import imagine.local.telegram.BotMessage;
import imagine.local.telegram.LocalTelegram;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Many users while the model and Telegram fail at random and workers are killed: every image asked for
 * ends as a photo or as a message saying why not, and no job is paid for twice.
 */
class ChaosEndToEndIT {
    private static final int USERS = 12;
    private static final int IMAGES_PER_USER = 4;
    /** How many faults rain on the bot, one every 0.4 to 1.2 s from the moment the prompts are sent. */
    private static final int FAULTS = 18;
    private static final Duration WAIT = Duration.ofSeconds(120);
    /**
     * A killed run's jobs wait out its lease (30 s deployed) before another run takes them over; cut, as the
     * visibility timeout is, so they do within the test.
     */
    private static final Duration LEASE = Duration.ofSeconds(10);

    @Test
    void everyImageEndsInAPhotoOrAnExplanationWhileFaultsRain() {
        try (LocalBot bot = LocalBots.own(LocalBots.quick(Duration.ofSeconds(1))
                .withParameters(Map.of("ImagesPerPrompt", "2", "WorkerMaximumConcurrency", "10"))
                .withEnvironment(Map.of("JOB_LEASE_SECONDS", Long.toString(LEASE.toSeconds()))))) {
            LocalTelegram telegram = bot.telegram();
            LocalReplicate replicate = bot.replicate();
            // A killed worker's message comes back after this instead of the template's 720 s.
            JobsQueue.shortenVisibilityTimeout(bot, 10);
            List<Long> users = LongStream.range(0, USERS).map(i -> LocalBots.newUser()).boxed().toList();
            AtomicInteger faults = new AtomicInteger();
            AtomicInteger lostSends = new AtomicInteger();
            ScheduledExecutorService chaos = Executors.newSingleThreadScheduledExecutor();
            try {
                rain(chaos, bot, new Random(42), faults, lostSends);
                for (long user : users) {
                    telegram.userSends(user, "User " + user, user % 2 == 0 ? "ru" : "en",
                            "a storm over the sea " + user + "\na quiet harbour " + user);
                }
                await("all the faults injected").atMost(WAIT).until(() -> faults.get() >= FAULTS);
            } finally {
                chaos.shutdownNow();
            }

            for (long user : users) {
                for (int position = 1; position <= IMAGES_PER_USER; position++) {
                    String marker = position + "/" + IMAGES_PER_USER + " ";
                    telegram.awaitBotMessage(user, m -> m.textOrCaption() != null && m.textOrCaption().contains(marker),
                            WAIT);
                }
            }
            JobsQueue.awaitDrained(bot, WAIT);

            List<BotMessage> all = users.stream().map(telegram::botMessages).flatMap(List::stream).toList();
            long photos = all.stream().filter(BotMessage::isPhoto).count();
            long explanations = all.stream().filter(m -> !m.isPhoto() && m.text() != null
                    && m.text().matches("(?s).*\\d/" + IMAGES_PER_USER + " .*")).count();
            List<Prediction> predictions = replicate.predictions();
            System.out.printf("chaos: %d faults injected; %d prompts in, %d images asked for; %d photos and "
                            + "%d explanations out; %d predictions%n", faults.get(), USERS * 2, USERS * IMAGES_PER_USER,
                    photos, explanations, predictions.size());
            System.out.printf("chaos: %d sends lost or killed, each of which may repeat one photo%n", lostSends.get());

            assertThat(photos + explanations).as("every image accounted for").isGreaterThanOrEqualTo(USERS * IMAGES_PER_USER);
            assertThat(predictions).as("no job paid for twice")
                    .extracting(p -> p.input().get("prompt") + "#" + p.input().get("seed")).doesNotHaveDuplicates();
            long repeats = 0;
            for (long user : users) {
                for (int position = 1; position <= IMAGES_PER_USER; position++) {
                    String marker = position + "/" + IMAGES_PER_USER + " ";
                    long sent = telegram.botMessages(user).stream()
                            .filter(m -> m.isPhoto() && m.caption().contains(marker)).count();
                    repeats += Math.max(0, sent - 1);
                }
            }
            assertThat(repeats).as("photos sent again: only after a send whose answer was lost or a killed worker")
                    .isLessThanOrEqualTo(lostSends.get());
        }
    }

    /** Injects one fault after a random pause, then schedules the next, until {@link #FAULTS} are in. */
    private static void rain(ScheduledExecutorService chaos, LocalBot bot, Random random, AtomicInteger faults,
                             AtomicInteger lostSends) {
        chaos.schedule(() -> {
            injectFault(bot, random, lostSends);
            if (faults.incrementAndGet() < FAULTS) {
                rain(chaos, bot, random, faults, lostSends);
            }
        }, 400 + random.nextInt(800), TimeUnit.MILLISECONDS);
    }

    private static void injectFault(LocalBot bot, Random random, AtomicInteger lostSends) {
        LocalTelegram telegram = bot.telegram();
        LocalReplicate replicate = bot.replicate();
        switch (random.nextInt(7)) {
            case 0 -> replicate.failNext(Fault.SERVER_ERROR);
            case 1 -> replicate.failNext(Fault.RATE_LIMITED);
            case 2 -> replicate.failNext(Fault.REFUSE);
            case 3 -> telegram.failNext("sendPhoto", 429, "Too Many Requests: retry after 1", Map.of("retry_after", 1));
            case 4 -> telegram.failNext("sendPhoto", 500, "Internal Server Error", null);
            case 5 -> {
                telegram.loseNextAnswer("sendPhoto");
                lostSends.incrementAndGet();
            }
            // A killed environment was running up to a batch of five jobs, each of which may have been sending.
            default -> lostSends.addAndGet(5 * bot.platform().function("WorkerFunction").discardAll());
        }
    }
}
