package imagine.benchmark;

import imagine.local.aws.LocalAws;
import imagine.local.bot.LocalBot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.jar.JarFile;

/**
 * Cold start per function: fresh JVMs through Lambda's runtime client with the template's JAVA_TOOL_OPTIONS and
 * the function's environment from the local platform; then the same with a class-data-sharing archive made for
 * that jar in a training run; then as if restored from a SnapStart snapshot taken after the functions' CRaC priming.
 */
final class ColdStart {
    static final int RUNS = 3;
    private static final String SECTION = "2. cold start";

    private final Path project;
    private final Path work;
    private final LocalBot bot;
    private final String runtimeClientClasspath;
    private final Path jniLibrary;
    private int nextUser = 2001;

    ColdStart(Path project, Path work, LocalBot bot, String runtimeClientClasspath) throws IOException {
        this.project = project;
        this.work = work;
        this.bot = bot;
        this.runtimeClientClasspath = runtimeClientClasspath;
        this.jniLibrary = extractJni(work, runtimeClientClasspath);
    }

    List<Row> measure() throws Exception {
        List<Row> rows = new ArrayList<>();
        rows.addAll(function("WebhookFunction", "imagine-webhook.jar",
                run -> Updates.apiEvent(project, Updates.text(900_000 + run, 1001, 11, Updates.FOUR_PROMPTS))));
        rows.addAll(function("WorkerFunction", "imagine-worker.jar", run -> workerEvent(run)));
        return rows;
    }

    private List<Row> function(String name, String jarName, IntFunction<String> event) throws Exception {
        Path jar = project.resolve("functions").resolve(name.equals("WebhookFunction") ? "webhook" : "worker")
                .resolve("target").resolve(jarName);
        Map<String, String> env = new LinkedHashMap<>(bot.platform().functionEnvironment(name));
        LocalAws aws = LocalAws.defaults();
        env.put("AWS_REGION", aws.region());
        env.put("AWS_ACCESS_KEY_ID", aws.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", aws.secretAccessKey());
        String handler = bot.platform().function(name).spec().handler();
        LambdaProcess lambda = new LambdaProcess(jar.toString(), handler, env, runtimeClientClasspath, jniLibrary);
        Path log = work.resolve(name + ".log");
        Files.deleteIfExists(log);
        int run = 0;

        Path classLog = work.resolve(name + "-classes.txt");
        Files.deleteIfExists(classLog);
        lambda.run(event.apply(run++), List.of("-Xlog:class+load=info:file=" + classLog), log, 30);
        List<String> loaded = Files.readAllLines(classLog).stream().filter(l -> l.contains("source:")).toList();
        long fromJar = loaded.stream().filter(l -> l.contains(jarName)).count();

        List<Long> init = new ArrayList<>();
        List<Long> first = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            LambdaProcess.Timing t = lambda.run(event.apply(run++), List.of(), log, 30);
            init.add(t.initNanos());
            first.add(t.firstResponseNanos());
        }

        Path archive = work.resolve(name + ".jsa");
        Files.deleteIfExists(archive);
        lambda.run(event.apply(run++), List.of("-XX:ArchiveClassesAtExit=" + archive), log, 120);
        List<Long> cdsInit = new ArrayList<>();
        List<Long> cdsFirst = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            LambdaProcess.Timing t = lambda.run(event.apply(run++),
                    List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto"), log, 30);
            cdsInit.add(t.initNanos());
            cdsFirst.add(t.firstResponseNanos());
        }

        List<Long> primedInit = new ArrayList<>();
        List<Long> primedFirst = new ArrayList<>();
        LambdaProcess restored = lambda.restoredFromSnapshot();
        for (int i = 0; i < RUNS; i++) {
            LambdaProcess.Timing t = restored.run(event.apply(run++), List.of(), log, 30);
            primedInit.add(t.initNanos());
            primedFirst.add(t.firstResponseNanos());
        }

        String section = SECTION + " " + name;
        String options = env.getOrDefault("JAVA_TOOL_OPTIONS", "none");
        return List.of(
                Row.of(section, "jar size", String.format("%.1f MB", IsolatedJar.size(jar) / 1e6)),
                Row.of(section, "classes loaded to the first response (-Xlog:class+load)",
                        loaded.size() + " (" + fromJar + " from the jar)"),
                Row.of(section, "process start → init done (first GET next), median of " + RUNS
                        + ", JAVA_TOOL_OPTIONS " + options, Stats.millis(Stats.of(init).median())),
                Row.of(section, "process start → first response, median of " + RUNS + ", same options",
                        Stats.millis(Stats.of(first).median())),
                Row.of(section, "process start → first response with an AppCDS archive of this jar "
                        + "(-XX:ArchiveClassesAtExit training run; local, for comparison: Lambda offers CDS only "
                        + "through its own runtime/SnapStart)", Stats.millis(Stats.of(cdsFirst).median())
                        + " (init " + Stats.millis(Stats.of(cdsInit).median()) + ")"),
                Row.of(section, "first event, from init done to the response, median of " + RUNS
                        + ": as started vs after the CRaC priming hooks (SnapStart's beforeCheckpoint/afterRestore run "
                        + "through a jdk.crac stand-in; the snapshot restore itself needs Lambda and is not in this)",
                        Stats.millis(Stats.of(gaps(init, first)).median()) + " → "
                        + Stats.millis(Stats.of(gaps(primedInit, primedFirst)).median())));
    }

    private static List<Long> gaps(List<Long> from, List<Long> to) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 0; i < from.size(); i++) {
            gaps.add(to.get(i) - from.get(i));
        }
        return gaps;
    }

    /** A chat of its own per run, so the worker's per-chat pacing never waits on an earlier run. */
    private String workerEvent(int run) {
        long user = nextUser++;
        bot.telegram().userSends(user, "User" + user, "en", "/start");
        bot.telegram().awaitBotMessage(user, message -> true, Duration.ofSeconds(30));
        return Updates.sqsJobEvent(project, (910_000 + run) + "-0-0", user);
    }

    /** The runtime client's native library, extracted once, as Lambda's image ships it. */
    static Path extractJni(Path work, String runtimeClientClasspath) throws IOException {
        String clientJar = List.of(runtimeClientClasspath.split(":")).stream()
                .filter(p -> p.contains("aws-lambda-java-runtime-interface-client")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no runtime interface client on " + runtimeClientClasspath));
        String arch = System.getProperty("os.arch").equals("aarch64") ? "linux-aarch_64" : "linux-x86_64";
        Path target = work.resolve("libaws-lambda-jni.so");
        try (JarFile jar = new JarFile(clientJar);
             InputStream in = jar.getInputStream(jar.getEntry("jni/libaws-lambda-jni." + arch + ".so"))) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }
}
