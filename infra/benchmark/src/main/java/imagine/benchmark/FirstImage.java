package imagine.benchmark;

import imagine.local.bot.LocalBot;
import imagine.local.lambda.FunctionRuntime;
import imagine.local.telegram.ApiCall;
import imagine.local.telegram.LocalTelegram;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Section 6: the first image a new user sees. Each run starts a fresh bot (callback mode, the local model at L),
 * then a user the bot has never seen sends one message of three prompts, and the time to the first and the last
 * image is taken from the local Telegram's record of the bot's sends. Runs with environments of each function
 * started ahead (as {@code infra/imagine run} does, as provisioned concurrency would) and with every function
 * starting cold on its first event.
 */
final class FirstImage {
    private static final int RUNS = 3;
    private static final int PROMPTS = 3;
    private static final long USER = 4242;
    private static final Duration FIRST_SLACK = Duration.ofSeconds(2);
    private static final Duration LAST_SLACK = Duration.ofSeconds(4);
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> FUNCTIONS = List.of("WebhookFunction", "WorkerFunction", "CallbackFunction");

    private final Path project;
    private final Duration latency;
    private final String section;

    FirstImage(Path project, Duration latency) {
        this.project = project;
        this.latency = latency;
        this.section = "6. first image from a fresh start, L = " + latency.toSeconds() + " s, " + PROMPTS
                + " prompts, callback mode";
    }

    /** The two ways alternate, so neither gains from the runs before it warming this JVM. */
    List<Row> measure() throws Exception {
        Runs ahead = new Runs(LocalBot.Settings.INTERACTIVE_AHEAD + " environments of each function started ahead"
                + " (imagine run's default)");
        Runs cold = new Runs("every function cold (imagine run --cold)");
        for (int run = 0; run < RUNS; run++) {
            ahead.add(LocalBot.Settings.INTERACTIVE_AHEAD);
            cold.add(0);
        }
        List<Row> rows = new ArrayList<>(ahead.rows());
        rows.addAll(cold.rows());
        return rows;
    }

    /** The fresh starts of one way. */
    private final class Runs {
        private final String how;
        private final List<Long> starts = new ArrayList<>();
        private final List<Long> firsts = new ArrayList<>();
        private final List<Long> lasts = new ArrayList<>();
        private final List<String> spent = new ArrayList<>();

        Runs(String how) {
            this.how = how;
        }

        void add(int startAhead) throws Exception {
            long begin = System.nanoTime();
            try (LocalBot bot = LocalBot.start(project, LocalBot.Settings.forTests(latency)
                    .withCallbacks(LocalBot.Settings.DEFAULT_CALLBACK_CHECK).withStartAhead(startAhead), Map.of())) {
                starts.add(System.nanoTime() - begin);
                LocalTelegram telegram = bot.telegram();
                Instant sent = Instant.now();
                telegram.userSends(USER, "Newcomer", "en", message());
                List<Instant> images = awaitImages(telegram, sent);
                firsts.add(Duration.between(sent, images.get(0)).toNanos());
                lasts.add(Duration.between(sent, images.get(images.size() - 1)).toNanos());
                spent.add(FUNCTIONS.stream().map(name -> describe(bot.platform().function(name)))
                        .collect(Collectors.joining(", ")));
            }
        }

        List<Row> rows() {
            long first = Stats.of(firsts).median();
            long last = Stats.of(lasts).median();
            return List.of(
                    Row.of(section, how + ": bot start, median of " + RUNS, seconds(Stats.of(starts).median())),
                    new Row(section, how + ": first image, median of " + RUNS + " (" + all(firsts) + ")",
                            seconds(first), target(first, FIRST_SLACK)),
                    new Row(section, how + ": last image, median of " + RUNS + " (" + all(lasts) + ")",
                            seconds(last), target(last, LAST_SLACK)),
                    Row.of(section, how + ": time in each function, init included (environments), per run",
                            String.join("; ", spent)));
        }
    }

    private static String message() {
        List<String> prompts = new ArrayList<>();
        for (int p = 0; p < PROMPTS; p++) {
            prompts.add((p == 0 ? "/imagine " : "") + "a first picture, number " + p);
        }
        return String.join("\n", prompts);
    }

    private static List<Instant> awaitImages(LocalTelegram telegram, Instant sent) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            List<Instant> images = telegram.calls().stream()
                    .filter(call -> call.ok() && call.chatId() != null && call.chatId() == USER)
                    .filter(call -> call.method().equals("sendPhoto") || call.method().equals("sendDocument"))
                    .map(ApiCall::time)
                    .sorted()
                    .toList();
            if (images.size() >= PROMPTS) {
                return images;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(images.size() + " of " + PROMPTS + " images within " + TIMEOUT);
            }
            Thread.sleep(10);
        }
    }

    private static String describe(FunctionRuntime function) {
        return function.name().replace("Function", "").toLowerCase(Locale.ROOT) + " "
                + function.billed().toMillis() + " ms (" + function.coldStarts() + ")";
    }

    private String target(long nanos, Duration slack) {
        Duration limit = latency.plus(slack);
        return "≤ L + " + slack.toSeconds() + " s = " + limit.toSeconds() + " s: "
                + (nanos <= limit.toNanos() ? "met" : "missed");
    }

    private static String all(List<Long> nanos) {
        return nanos.stream().map(FirstImage::seconds).collect(Collectors.joining(", "));
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }
}
