package imagine.benchmark;

import imagine.local.bot.LocalBot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Section 3: waves of 1, 10, 100, 200 and 400 images, one image per user so the per-chat pacing Telegram asks
 * for does not set the pace, after a warm-up that grows the worker's environments step by step. Everything runs
 * in this one JVM: environments created while many images are in flight share its cores with the stand-ins and
 * can miss the platform's 10 s init timeout (their messages then come back only after the 720 s visibility
 * timeout), which Lambda, giving each environment its own CPU, would not. The worker's concurrency is the
 * template's default, 50 environments of batches of 5. Predictions finish through Replicate's callbacks, the
 * production path: a worker returns once it has created the prediction, and the callback function stores and
 * sends the result. The 200- and 400-image waves are compared with the single-process baseline on the same
 * stand-ins.
 */
final class FanOutReport {
    static final int CONCURRENCY = 50;
    /** The template's check-up delay for a job awaiting its callback. */
    static final Duration CALLBACK_CHECK = Duration.ofSeconds(120);
    static final int TARGET_IMAGES = 200;
    private static final int[] WARM_UP = {5, 10, 20, 40};
    private static final int[] SIZES = {1, 10, 100, TARGET_IMAGES, 400};
    private static final Duration WAVE_TIMEOUT = Duration.ofSeconds(40);
    /**
     * Keeps the whole command within about a quarter of an hour when waves run late on a busy machine (each waits
     * for its stragglers, up to FanOut.STRAGGLER_LIMIT).
     */
    private static final Duration BUDGET = Duration.ofMinutes(8);
    private static final double MAKESPAN_TARGET = 1.25;
    private static final long ACK_TARGET_NANOS = 50_000_000;

    private final LocalBot bot;
    private final Duration latency;
    private final FanOut fanOut;
    private final String section;
    private long targetAckMedian;
    private long nextUser = 10_000;

    FanOutReport(LocalBot bot, Duration latency) {
        this.bot = bot;
        this.latency = latency;
        this.fanOut = new FanOut(bot);
        this.section = "3. fan-out, L = " + latency.toSeconds() + " s, worker concurrency " + CONCURRENCY
                + ", callback mode";
    }

    FanOut fanOut() {
        return fanOut;
    }

    /** The webhook's median acknowledgement in the 200-image wave. */
    long targetAckMedian() {
        return targetAckMedian;
    }

    List<Row> measure() throws Exception {
        List<Row> rows = new ArrayList<>();
        List<Workload> warmUp = new ArrayList<>();
        for (int size : WARM_UP) {
            warmUp.add(fresh(size));
        }
        List<Workload> waves = new ArrayList<>();
        for (int size : SIZES) {
            waves.add(fresh(size));
        }
        for (Workload wave : warmUp) {
            fanOut.openChats(wave.userIds());
        }
        for (Workload wave : waves) {
            fanOut.openChats(wave.userIds());
        }
        long deadline = System.nanoTime() + BUDGET.toNanos();
        rows.add(warmUp(warmUp));
        for (Workload wave : waves) {
            if (System.nanoTime() > deadline) {
                rows.add(Row.of(section, "bot: " + wave.describe(), "not run: the section's " + BUDGET.toMinutes()
                        + "-minute budget was spent by earlier waves"));
                continue;
            }
            rows.add(bot(wave));
            if (wave.images() >= TARGET_IMAGES) {
                // The warm-up's chats are idle by now; the baseline's pictures go there.
                rows.add(baseline(new Workload(wave.images(), 1, warmUp.get(0).firstUserId())));
            }
        }
        return rows;
    }

    /** Fresh users for every wave, so an image that comes late is never counted for a later wave. */
    private Workload fresh(int images) {
        Workload workload = new Workload(images, 1, nextUser);
        nextUser += images;
        return workload;
    }

    private Row warmUp(List<Workload> waves) throws Exception {
        long start = System.nanoTime();
        long created = 0;
        int delivered = 0;
        int expected = 0;
        StringBuilder late = new StringBuilder();
        for (Workload wave : waves) {
            WaveResult result = fanOut.run(wave, WAVE_TIMEOUT);
            late.append(result.unexplained());
            created += result.workerColdStarts();
            delivered += result.delivered();
            expected += wave.images();
        }
        return Row.of(section, "warm-up, not timed: waves of " + WARM_UP[0] + " to " + WARM_UP[WARM_UP.length - 1]
                        + " images",
                String.format(Locale.ROOT, "%d worker and callback environments created, %d/%d images delivered, %.0f s%s",
                        created, delivered, expected, (System.nanoTime() - start) / 1e9, late));
    }

    private Row bot(Workload wave) throws Exception {
        WaveResult result = fanOut.run(wave, WAVE_TIMEOUT);
        Stats acks = Stats.of(result.acks());
        double ratio = result.makespanNanos() / (double) latency.toNanos();
        String makespan = result.delivered() == 0
                ? String.format(Locale.ROOT, "no image delivered in %.0f s", result.waitedNanos() / 1e9)
                : String.format(Locale.ROOT, "makespan %s = %.2f × L (slowest prediction %.2f × L)",
                        Stats.millis(result.makespanNanos()), ratio,
                        result.longestPredictionNanos() / (double) latency.toNanos());
        String value = String.format(Locale.ROOT,
                "%s; %d/%d delivered, %d within %d s%s; %d × 429, %d worker and callback cold starts; "
                        + "ack p50 %s / p99 %s (%d acks); CPU %.0f%% of %d cores",
                makespan, result.delivered(), wave.images(), result.delivered() - result.stragglers().size(),
                WAVE_TIMEOUT.toSeconds(), result.unexplained(), result.tooManyRequests(), result.workerColdStarts(),
                Stats.millis(acks.percentile(50)), Stats.millis(acks.percentile(99)), acks.count(),
                100 * ProcessCpu.share(result.cpuNanos(), result.waitedNanos()),
                Runtime.getRuntime().availableProcessors());
        String goal = "";
        if (wave.images() == TARGET_IMAGES) {
            targetAckMedian = acks.percentile(50);
            goal = "makespan ≤ 1.25 × L: " + (ratio <= MAKESPAN_TARGET && result.delivered() == wave.images()
                    ? "met" : "NOT met") + "; ack p99 < 50 ms: "
                    + (acks.percentile(99) < ACK_TARGET_NANOS ? "met" : "NOT met");
        }
        return new Row(section, "bot: " + wave.describe(), value, goal);
    }

    private Row baseline(Workload workload) throws Exception {
        GatherBaseline.Result result = new GatherBaseline(bot.platform().functionEnvironment("WorkerFunction"))
                .run(workload);
        return Row.of(section, "single-process baseline (one JVM, an executor of " + workload.images()
                        + " threads, same model and Telegram): " + workload.describe(),
                String.format(Locale.ROOT, "makespan %s = %.2f × L (last prediction back at %.2f × L); %d/%d "
                                + "delivered; CPU %.0f%% of %d cores",
                        Stats.millis(result.makespanNanos()), result.makespanNanos() / (double) latency.toNanos(),
                        result.lastPredictionNanos() / (double) latency.toNanos(), result.delivered(),
                        workload.images(), 100 * ProcessCpu.share(result.cpuNanos(), result.makespanNanos()),
                        Runtime.getRuntime().availableProcessors()));
    }
}
