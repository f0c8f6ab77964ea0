package imagine.benchmark;

import imagine.core.QueueDepth;
import imagine.local.bot.LocalBot;
import imagine.local.s3.S3Requests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Section 7: the CPU time the bot's own functions spend per image, apart from the stand-ins that share this JVM,
 * beside the one-process baseline's on the same images in the same run. After a warm-up, one wave of
 * {@value #IMAGES} images goes through the bot (one prompt per user, no probe of the webhook), counted until every
 * message of the job queue is gone (the check-ups included), then the same number through the baseline. Threads
 * are told apart as {@link ThreadCpu} says; the JVM's garbage collection is shared out by bytes allocated, its JIT by
 * CPU time of Java threads. Over the bot's wave the functions' threads are also sampled ({@link CpuProfile}): where
 * their time goes, and the local S3 counts its requests. All of it twice, on a fresh bot each time: with the worker's
 * concurrency of the fan-out and with the template's least (few environments, each long past its warm-up).
 */
final class CpuPerImage {
    static final int IMAGES = 100;
    static final double TARGET = 1.5;
    private static final String[] FUNCTIONS = {"WebhookFunction", "WorkerFunction", "CallbackFunction"};
    private static final int[] WARM_UP = {10, 40};
    /** Shorter than the template's 120 s so the run waits less for the check-ups; they do the same work. */
    private static final Duration CALLBACK_CHECK = Duration.ofSeconds(30);
    private static final Duration WAVE_TIMEOUT = Duration.ofSeconds(40);
    private static final Duration DRAIN_LIMIT = Duration.ofMinutes(3);

    /**
     * The worker's MaximumConcurrency: the fan-out's, with an environment for every few images, each compiling its
     * own code; and the template's least, with a few environments that each serve many images and run compiled.
     */
    private static final int[] WORKER_CONCURRENCY = {FanOutReport.CONCURRENCY, 2};

    private final Path project;
    private final Duration latency;

    CpuPerImage(Path project, Duration latency) {
        this.project = project;
        this.latency = latency;
    }

    /** What one side spent over its span: its own threads, and its shares of GC and JIT. */
    private record Spent(long threadsNanos, long gcNanos, long jitNanos, long allocated) {
        static Spent of(ThreadCpu.Totals span, Set<String> owners) {
            long threads = owners.stream().mapToLong(span::cpu).sum();
            long allocated = owners.stream().mapToLong(span::allocated).sum();
            long gc = share(span.cpu(ThreadCpu.GC), allocated, span.allocatedTotal());
            long jit = share(span.cpu(ThreadCpu.JIT), threads, span.javaCpu());
            return new Spent(threads, gc, jit, allocated);
        }

        long total() {
            return threadsNanos + gcNanos + jitNanos;
        }

        private static long share(long whole, long part, long of) {
            return of <= 0 ? 0 : Math.round(whole * (double) part / of);
        }
    }

    List<Row> measure() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (int concurrency : WORKER_CONCURRENCY) {
            rows.addAll(measure(concurrency));
        }
        return rows;
    }

    private List<Row> measure(int concurrency) throws Exception {
        List<Row> rows = new ArrayList<>();
        String section = "7. CPU per image, L = " + latency.toSeconds() + " s, " + IMAGES + " images, callback mode, "
                + "worker concurrency " + concurrency;
        try (LocalBot bot = LocalBot.start(project, LocalBot.Settings.forTests(latency)
                .withParameters(Map.of("WorkerMaximumConcurrency", Integer.toString(concurrency)))
                .withCallbacks(CALLBACK_CHECK), Map.of());
             ThreadCpu cpu = new ThreadCpu();
             SqsClient sqs = imagine.local.aws.LocalAws.defaults().sqs(bot.platform().sqsEndpoint())) {
            FanOut fanOut = new FanOut(bot).withoutProbe();
            String jobs = bot.platform().queueUrl("JobsQueue");
            long nextUser = 20_000;
            List<Workload> warmUp = new ArrayList<>();
            for (int size : WARM_UP) {
                warmUp.add(new Workload(size, 1, nextUser));
                nextUser += size;
            }
            Workload wave = new Workload(IMAGES, 1, nextUser);
            warmUp.forEach(w -> fanOut.openChats(w.userIds()));
            fanOut.openChats(wave.userIds());
            for (Workload w : warmUp) {
                fanOut.run(w, WAVE_TIMEOUT);
            }
            drain(sqs, jobs);

            ThreadCpu.Totals before = cpu.totals();
            S3Requests.Counts s3Before = bot.platform().s3Requests();
            CpuProfile.Result profile;
            WaveResult result;
            try (CpuProfile profiling = new CpuProfile(cpu)) {
                result = fanOut.run(wave, WAVE_TIMEOUT);
                drain(sqs, jobs);
                profile = profiling.stop();
            }
            S3Requests.Counts s3 = bot.platform().s3Requests().minus(s3Before);
            ThreadCpu.Totals botSpan = cpu.totals().minus(before);

            // The wave's chats are idle now; the baseline's pictures go there.
            before = cpu.totals();
            GatherBaseline.Result baseline = new GatherBaseline(bot.platform().functionEnvironment("WorkerFunction"))
                    .run(wave);
            ThreadCpu.Totals baselineSpan = cpu.totals().minus(before);

            Spent functions = Spent.of(botSpan, Set.of(FUNCTIONS));
            Spent gathered = Spent.of(baselineSpan, Set.of("baseline"));
            StringBuilder byFunction = new StringBuilder();
            for (String function : FUNCTIONS) {
                byFunction.append(String.format(Locale.ROOT, "%s %.1f ms, ", function.replace("Function", "")
                        .toLowerCase(Locale.ROOT), perImage(botSpan.cpu(function))));
            }
            rows.add(Row.of(section, "bot: " + wave.describe() + ", CPU of the functions' own threads per image",
                    String.format(Locale.ROOT, "%sall three %.1f ms; %d/%d delivered%s; allocated %.0f KB per image",
                            byFunction, perImage(functions.threadsNanos()), result.delivered(), IMAGES,
                            result.unexplained(), functions.allocated() / 1024.0 / IMAGES)));
            rows.add(Row.of(section, "bot: the JVM's GC and JIT over the wave, per image, and the functions' "
                            + "shares (GC by bytes allocated, JIT by Java threads' CPU)",
                    String.format(Locale.ROOT, "GC %.1f ms, of which the functions' %.1f ms; JIT %.1f ms, of which "
                                    + "the functions' %.1f ms; stand-ins and benchmark's threads %.1f ms",
                            perImage(botSpan.cpu(ThreadCpu.GC)), perImage(functions.gcNanos()),
                            perImage(botSpan.cpu(ThreadCpu.JIT)), perImage(functions.jitNanos()),
                            perImage(botSpan.cpu(ThreadCpu.STAND_INS)))));
            rows.add(Row.of(section, "single-process baseline: " + wave.describe()
                            + ", CPU of its own threads per image (same images, same stand-ins, right after)",
                    String.format(Locale.ROOT, "%.1f ms, with its shares of GC %.1f ms and JIT %.1f ms: %.1f ms; "
                                    + "%d/%d delivered; allocated %.0f KB per image",
                            perImage(gathered.threadsNanos()), perImage(gathered.gcNanos()),
                            perImage(gathered.jitNanos()), perImage(gathered.total()), baseline.delivered(), IMAGES,
                            gathered.allocated() / 1024.0 / IMAGES)));
            double ratio = functions.total() / (double) Math.max(1, gathered.total());
            rows.add(new Row(section, "bot's functions over the baseline, CPU per image with GC and JIT shares "
                    + "(own threads only)",
                    String.format(Locale.ROOT, "%.1f ms / %.1f ms = %.2f × (%.2f ×)", perImage(functions.total()),
                            perImage(gathered.total()), ratio,
                            functions.threadsNanos() / (double) Math.max(1, gathered.threadsNanos())),
                    "≤ " + TARGET + " ×: " + (ratio <= TARGET ? "met" : "NOT met")));
            rows.add(Row.of(section, "where the functions' CPU goes: S3 requests per image over the wave, check-ups "
                            + "included (by operation; by the key's first part)",
                    String.format(Locale.ROOT, "%.1f: %s; %s", s3.total() / (double) IMAGES,
                            perImage(s3, S3Requests.Kind::operation), perImage(s3, S3Requests.Kind::area))));
            Set<String> owners = Set.of(FUNCTIONS);
            rows.add(Row.of(section, "where the functions' CPU goes: kind of work (Flight Recorder samples of "
                    + "threads running Java code over the bot's wave; first matching kind)",
                    profile.describe(profile.kinds(), owners, 12)));
            rows.add(Row.of(section, "where the functions' CPU goes: the bot's frame nearest the sample",
                    profile.describe(profile.botFrames(), owners, 12)));
            rows.add(Row.of(section, "where the functions' CPU goes: the sampled method itself",
                    profile.describe(profile.leaves(), owners, 12)));
            rows.add(Row.of(section, "how the sampled method ran (each environment has its own classes, so "
                            + "compiles its own code); environments over the run",
                    profile.describe(profile.compiled(), owners, 4) + "; " + String.join(", ",
                            java.util.Arrays.stream(FUNCTIONS).map(f -> f.replace("Function", "").toLowerCase(Locale.ROOT)
                                    + " " + bot.platform().function(f).coldStarts()).toList())));
        }
        return rows;
    }

    private static String perImage(S3Requests.Counts s3, Function<S3Requests.Kind, String> by) {
        Map<String, Long> grouped = new TreeMap<>();
        s3.byKind().forEach((kind, count) -> grouped.merge(by.apply(kind), count, Long::sum));
        return grouped.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue() / (double) IMAGES))
                .collect(Collectors.joining(", "));
    }

    private static double perImage(long nanos) {
        return nanos / 1e6 / IMAGES;
    }

    /** Waits until the job queue holds nothing: every job delivered and its check-up done. */
    private static void drain(SqsClient sqs, String queueUrl) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        while (System.nanoTime() < deadline && QueueDepth.of(sqs, queueUrl).total() > 0) {
            Thread.sleep(500);
        }
    }
}
