package imagine.local.bot;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.local.replicate.Fault;
import imagine.local.replicate.LocalReplicate;
import imagine.local.replicate.Prediction;
import imagine.local.telegram.BotMessage;
import imagine.local.telegram.LocalTelegram;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Many users while the model and Telegram fail at random and workers are killed: every image asked for
 * ends as a photo or as a message saying why not, and no job is paid for twice.
 */
class ChaosEndToEndTest {
    private static final int USERS = 12;
    private static final int IMAGES_PER_USER = 4;
    private static final long FIRST_USER = 8100;

    @Test
    void everyImageEndsInAPhotoOrAnExplanationWhileFaultsRain() throws Exception {
        try (LocalBot bot = LocalBot.start(Path.of("../.."), LocalBot.Settings.forTests(Duration.ofSeconds(1))
                .withParameters(Map.of("ImagesPerPrompt", "2", "WorkerMaximumConcurrency", "10")), Map.of())) {
            LocalTelegram telegram = bot.telegram();
            LocalReplicate replicate = bot.replicate();
            JobsQueue.shortenVisibilityTimeout(bot, 20);
            AtomicBoolean raining = new AtomicBoolean(true);
            AtomicInteger faults = new AtomicInteger();
            AtomicInteger lostSends = new AtomicInteger();
            Thread chaos = new Thread(() -> injectFaults(bot, new Random(42), raining, faults, lostSends), "chaos");
            chaos.start();

            for (long user = FIRST_USER; user < FIRST_USER + USERS; user++) {
                telegram.userSends(user, "User " + user, user % 2 == 0 ? "ru" : "en",
                        "a storm over the sea " + user + "\na quiet harbour " + user);
            }
            Thread.sleep(15_000);
            raining.set(false);
            chaos.join();

            for (long user = FIRST_USER; user < FIRST_USER + USERS; user++) {
                long chat = user;
                for (int position = 1; position <= IMAGES_PER_USER; position++) {
                    String marker = position + "/" + IMAGES_PER_USER + " ";
                    telegram.awaitBotMessage(chat, m -> m.textOrCaption() != null && m.textOrCaption().contains(marker),
                            Duration.ofSeconds(150));
                }
            }
            JobsQueue.awaitDrained(bot, Duration.ofSeconds(120));

            List<BotMessage> all = IntStream.range(0, USERS)
                    .mapToObj(i -> telegram.botMessages(FIRST_USER + i)).flatMap(List::stream).toList();
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
            for (long user = FIRST_USER; user < FIRST_USER + USERS; user++) {
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

    private static void injectFaults(LocalBot bot, Random random, AtomicBoolean raining, AtomicInteger faults,
                                     AtomicInteger lostSends) {
        LocalTelegram telegram = bot.telegram();
        LocalReplicate replicate = bot.replicate();
        while (raining.get()) {
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
            faults.incrementAndGet();
            try {
                Thread.sleep(400 + random.nextInt(800));
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
