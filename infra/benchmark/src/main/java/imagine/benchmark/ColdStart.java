package imagine.benchmark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import imagine.local.aws.LocalAws;
import imagine.local.bot.LocalBot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.jar.JarFile;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Cold starts, each a fresh JVM through Lambda's runtime client with the template's JAVA_TOOL_OPTIONS and the
 * function's environment from the local platform, to the first response. The webhook runs in alternating rounds
 * with two floors ({@code infra/floor-webhooks}) that answer the same /imagine with the least code: (a) Jackson and
 * the SDK's SQS client, (b) that plus an S3 client and one GetObject of the user's record; a round runs all three in
 * a rotating order, so a busy moment of the machine falls on all of them. Sampled runs say where the time goes. The
 * webhook, the worker (creating a prediction, as deployed with callbacks) and the callback function (handing a
 * finished prediction to a worker) are then started as if restored from a SnapStart snapshot taken after their CRaC
 * priming, for their first event.
 */
final class ColdStart {
    static final int ROUNDS = 7;
    static final int RUNS = 3;
    static final int SAMPLED_RUNS = 3;
    static final double FLOOR_TARGET = 1.05;
    private static final String SECTION = "2. cold start";

    private final Path project;
    private final Path work;
    private final LocalBot bot;
    private final String runtimeClientClasspath;
    private final Path jniLibrary;
    private final S3Client s3;
    private int run;
    private long nextUser = 2001;

    ColdStart(Path project, Path work, LocalBot bot, String runtimeClientClasspath) throws IOException {
        this.project = project;
        this.work = work;
        this.bot = bot;
        this.runtimeClientClasspath = runtimeClientClasspath;
        this.jniLibrary = extractJni(work, runtimeClientClasspath);
        this.s3 = LocalAws.defaults().s3(bot.platform().s3Endpoint());
    }

    /** A function, or a floor, as a child JVM. */
    private record Variant(String label, Path jar, LambdaProcess process) {
    }

    List<Row> measure() throws Exception {
        List<Row> rows = new ArrayList<>(webhookAgainstFloors());
        rows.addAll(function("WorkerFunction", this::workerEvent));
        rows.addAll(function("CallbackFunction", this::callbackEvent));
        return rows;
    }

    private List<Row> webhookAgainstFloors() throws Exception {
        Path floors = project.resolve("infra/floor-webhooks/target");
        Variant sqsOnly = variant("(a) floor: Jackson and the SDK's SQS client, one SendMessageBatch (SqsFloorWebhook)",
                "WebhookFunction", floors.resolve("floor-sqs.jar"), "imagine.floor.SqsFloorWebhook::handleRequest");
        Variant settings = variant("(b) floor: (a) and an S3 client, one GetObject of the user's record "
                + "(SettingsFloorWebhook)", "WebhookFunction", floors.resolve("floor-settings.jar"),
                "imagine.floor.SettingsFloorWebhook::handleRequest");
        Variant webhook = function("WebhookFunction");
        List<Variant> variants = List.of(sqsOnly, settings, webhook);
        Path log = log("webhooks");

        Map<Variant, String> classes = new LinkedHashMap<>();
        for (Variant variant : variants) {
            classes.put(variant, classesLoaded(variant, webhookEvent(), log));
        }
        Map<Variant, List<LambdaProcess.Timing>> timings = new LinkedHashMap<>();
        variants.forEach(variant -> timings.put(variant, new ArrayList<>()));
        List<Long> ratios = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < variants.size(); i++) {
                Variant variant = variants.get((round + i) % variants.size());
                timings.get(variant).add(answered(variant.process().run(webhookEvent(), List.of(), log, 30)));
            }
            // Per mille, so the ratio's median is a median of longs.
            ratios.add(Math.round(1000.0 * timings.get(webhook).get(round).firstResponseNanos()
                    / timings.get(settings).get(round).firstResponseNanos()));
        }

        String section = SECTION + ", WebhookFunction against its floor";
        List<Row> rows = new ArrayList<>();
        for (Variant variant : variants) {
            List<LambdaProcess.Timing> runs = timings.get(variant);
            rows.add(Row.of(section, variant.label() + ": jar " + megabytes(variant.jar()) + ", classes loaded to the "
                            + "first response " + classes.get(variant),
                    "first response " + Stats.millis(median(runs, LambdaProcess.Timing::firstResponseNanos))
                            + " (init " + Stats.millis(median(runs, LambdaProcess.Timing::initNanos)) + "), median of "
                            + ROUNDS + " alternating rounds"));
        }
        double ratio = Stats.of(ratios).median() / 1000.0;
        rows.add(new Row(section, "WebhookFunction's first response over floor (b)'s, median of the " + ROUNDS
                + " rounds' ratios (JAVA_TOOL_OPTIONS " + webhook.process().environment().getOrDefault(
                        "JAVA_TOOL_OPTIONS", "none") + ", a fresh JVM and a new user each run)",
                String.format(Locale.ROOT, "%.2f × (b)", ratio),
                String.format(Locale.ROOT, "≤ %.2f × (b): %s", FLOOR_TARGET, ratio <= FLOOR_TARGET ? "met" : "NOT met")));
        for (Variant variant : List.of(settings, webhook)) {
            StartProfile profile = new StartProfile();
            for (int i = 0; i < SAMPLED_RUNS; i++) {
                Path samples = work.resolve("samples.txt");
                LambdaProcess.Timing timing = answered(variant.process().startingAs(LambdaProcess.Start.SAMPLED)
                        .run(webhookEvent(), List.of("-Dimagine.samples=" + samples), log, 30));
                profile.add(samples, timing);
            }
            rows.add(Row.of(section, "where " + (variant == webhook ? "WebhookFunction's" : "floor (b)'s")
                    + " start goes (its main thread sampled every millisecond; sampling slows it)", profile.describe()));
        }
        rows.add(primed(section, webhook, unused -> webhookEvent(), log));
        return rows;
    }

    private List<Row> function(String name, IntFunction<String> event) throws Exception {
        Variant function = function(name);
        Path log = log(name);
        String classes = classesLoaded(function, event.apply(run++), log);
        List<LambdaProcess.Timing> runs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            runs.add(function.process().run(event.apply(run++), List.of(), log, 30));
        }
        String section = SECTION + " " + name;
        return List.of(
                Row.of(section, "jar " + megabytes(function.jar()) + ", classes loaded to the first response " + classes,
                        "first response " + Stats.millis(median(runs, LambdaProcess.Timing::firstResponseNanos))
                                + " (init " + Stats.millis(median(runs, LambdaProcess.Timing::initNanos))
                                + "), median of " + RUNS),
                primed(section, function, event, log));
    }

    /** The first event in a fresh JVM against one restored after the priming hooks. */
    private Row primed(String section, Variant function, IntFunction<String> event, Path log) throws Exception {
        List<Long> fresh = new ArrayList<>();
        List<Long> restored = new ArrayList<>();
        LambdaProcess snapshot = function.process().startingAs(LambdaProcess.Start.RESTORED);
        for (int i = 0; i < RUNS; i++) {
            fresh.add(function.process().run(event.apply(run++), List.of(), log, 30).firstEventNanos());
            restored.add(snapshot.run(event.apply(run++), List.of(), log, 30).firstEventNanos());
        }
        return Row.of(section, "first event, from init done to the response, median of " + RUNS + " alternating: "
                        + "fresh vs after the CRaC priming hooks (SnapStart's beforeCheckpoint/afterRestore run through "
                        + "a jdk.crac stand-in; the snapshot restore itself needs Lambda and is not in this)",
                Stats.millis(Stats.of(fresh).median()) + " → " + Stats.millis(Stats.of(restored).median()));
    }

    private Variant function(String name) {
        String module = name.equals("WebhookFunction") ? "webhook" : "worker";
        return variant(name, name, project.resolve("functions").resolve(module).resolve("target")
                .resolve("imagine-" + module + ".jar"), bot.platform().function(name).spec().handler());
    }

    /** A child JVM with the environment the local platform gives {@code function}, and the credentials Lambda sets. */
    private Variant variant(String label, String function, Path jar, String handler) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no jar at " + jar + " (mvn -B -q -o package -DskipTests at the top)");
        }
        Map<String, String> env = new LinkedHashMap<>(bot.platform().functionEnvironment(function));
        LocalAws aws = LocalAws.defaults();
        env.put("AWS_REGION", aws.region());
        env.put("AWS_ACCESS_KEY_ID", aws.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", aws.secretAccessKey());
        return new Variant(label, jar, new LambdaProcess(jar.toString(), handler, env, runtimeClientClasspath, jniLibrary));
    }

    /**
     * "6679 (2368 from the jar)", from a run of its own with class loading logged; the log stays in the work
     * directory ({@code classes-<label>.txt}) for comparing one variant's classes with another's.
     */
    private String classesLoaded(Variant variant, String event, Path log) throws Exception {
        Path classLog = work.resolve("classes-" + variant.label().replaceAll("[^A-Za-z0-9]+", "-")
                .replaceAll("^-|-$", "") + ".txt");
        Files.deleteIfExists(classLog);
        variant.process().run(event, List.of("-Xlog:class+load=info:file=" + classLog), log, 30);
        List<String> loaded = Files.readAllLines(classLog).stream().filter(l -> l.contains("source:")).toList();
        String jarName = variant.jar().getFileName().toString();
        return loaded.size() + " (" + loaded.stream().filter(l -> l.contains(jarName)).count() + " from the jar)";
    }

    /** The webhook's answer: 200 with the acknowledgement in its body. */
    private static LambdaProcess.Timing answered(LambdaProcess.Timing timing) {
        if (!timing.response().contains("\"statusCode\":200") || !timing.response().contains("sendMessage")) {
            throw new IllegalStateException("the webhook did not acknowledge the update: " + timing.response());
        }
        return timing;
    }

    /** A four-prompt /imagine from a user never seen before, so nothing is read that an earlier run wrote. */
    private String webhookEvent() {
        long user = nextUser++;
        return Updates.apiEvent(project, Updates.text(900_000 + run++, user, 11, Updates.FOUR_PROMPTS));
    }

    /** A chat of its own per run, so the worker's per-chat pacing never waits on an earlier run. */
    private String workerEvent(int runNumber) {
        long user = nextUser++;
        bot.telegram().userSends(user, "User" + user, "en", "/start");
        bot.telegram().awaitBotMessage(user, message -> true, Duration.ofSeconds(30));
        return Updates.sqsJobEvent(project, (910_000 + runNumber) + "-0-0", user);
    }

    /**
     * Replicate's signed callback for a job whose record names its prediction, as a worker left it: the function
     * verifies it, reads the record and hands the job to a worker through the queue.
     */
    private String callbackEvent(int runNumber) {
        String jobId = (920_000 + runNumber) + "-0-0";
        String predictionId = "benchmark" + runNumber;
        try {
            ObjectNode job = (ObjectNode) Updates.JSON.readTree(Updates.JSON.readTree(
                    Updates.sqsJobEvent(project, jobId, nextUser++)).at("/Records/0/body").asText());
            ObjectNode record = Updates.JSON.createObjectNode().put("state", "PREDICTING")
                    .put("owner", "benchmark-" + jobId).put("claimed_at", 0).put("lease_until", 0)
                    .put("prediction_id", predictionId);
            record.set("job", job);
            s3.putObject(b -> b.bucket(bot.platform().bucketName("MediaBucket")).key("jobs/" + jobId + ".json")
                    .contentType("application/json"), RequestBody.fromString(record.toString()));
            ObjectNode event = (ObjectNode) Updates.JSON.readTree(project.resolve("events/replicate-callback.json")
                    .toFile());
            ObjectNode prediction = (ObjectNode) Updates.JSON.readTree(event.get("body").asText());
            prediction.put("id", predictionId);
            String body = prediction.toString();
            String messageId = "msg_" + predictionId;
            long timestamp = Instant.now().getEpochSecond();
            ObjectNode headers = (ObjectNode) event.get("headers");
            headers.put("webhook-id", messageId);
            headers.put("webhook-timestamp", Long.toString(timestamp));
            headers.put("webhook-signature", sign(bot.platform().functionEnvironment("CallbackFunction")
                    .get("REPLICATE_WEBHOOK_SECRET"), messageId, timestamp, body));
            event.put("rawQueryString", "job=" + jobId);
            ((ObjectNode) event.get("queryStringParameters")).put("job", jobId);
            event.put("body", body);
            return event.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Standard Webhooks' signature, as Replicate signs: HMAC-SHA256 of "id.timestamp.body". */
    private static String sign(String secret, String messageId, long timestamp, String body) {
        if (secret == null || !secret.startsWith("whsec_")) {
            throw new IllegalStateException("the callback function has no signing secret: callbacks are off");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            byte[] signature = mac.doFinal((messageId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path log(String name) throws IOException {
        Path log = work.resolve(name + ".log");
        Files.deleteIfExists(log);
        return log;
    }

    private static long median(List<LambdaProcess.Timing> runs,
                               java.util.function.ToLongFunction<LambdaProcess.Timing> measure) {
        return Stats.of(runs.stream().map(measure::applyAsLong).toList()).median();
    }

    private static String megabytes(Path jar) {
        return String.format(Locale.ROOT, "%.1f MB", IsolatedJar.size(jar) / 1e6);
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
