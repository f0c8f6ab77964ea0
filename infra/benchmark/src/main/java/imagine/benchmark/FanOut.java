package imagine.benchmark;

import imagine.core.StorageKeys;
import imagine.local.aws.LocalAws;
import imagine.local.bot.LocalBot;
import imagine.local.telegram.ApiCall;
import imagine.local.telegram.LocalTelegram;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Sends a workload's updates to the webhook at once, keeps probing the webhook while the images generate, and
 * waits until Telegram has received every image, or the straggler limit has passed and each missing image is
 * explained by its job record.
 */
final class FanOut {
    static final Duration PROBE_INTERVAL = Duration.ofMillis(100);
    /**
     * How long a wave waits for its last image: past the callback function's check-up of a job whose callback was
     * lost (120 s), short of the queue's visibility timeout (720 s), which a message whose invocation failed waits out.
     */
    static final Duration STRAGGLER_LIMIT = Duration.ofSeconds(150);
    private static final long PROBE_USER = 1;

    private final LocalBot bot;
    private final WebhookPoster poster;
    private final Set<Long> knownChats = new HashSet<>();
    private final S3Client s3;
    private final String bucket;
    private final boolean probes;

    FanOut(LocalBot bot) {
        this(bot, true);
    }

    private FanOut(LocalBot bot, boolean probes) {
        this.bot = bot;
        this.probes = probes;
        this.poster = new WebhookPoster(bot);
        this.s3 = LocalAws.defaults().s3(bot.platform().s3Endpoint());
        this.bucket = bot.platform().bucketName("MediaBucket");
    }

    /** One that sends the workload's updates alone, without the probe of the webhook's answers: what they cost. */
    FanOut withoutProbe() {
        return new FanOut(bot, false);
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
        if (probes) {
            openChats(List.of(PROBE_USER));
        }
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
                while (probes && !done.get()) {
                    acks.add(poster.post(PROBE_USER, "/help"));
                    Thread.sleep(PROBE_INTERVAL.toMillis());
                }
                return null;
            });
            for (Future<?> future : sent) {
                future.get();
            }
            long deadline = System.nanoTime() + Math.max(timeout.toNanos(), STRAGGLER_LIMIT.toNanos());
            List<ApiCall> delivered = awaitImages(telegram, chats, start, workload.images(), deadline);
            long waited = Duration.between(start, Instant.now()).toNanos();
            long cpu = ProcessCpu.nanos() - cpuStart;
            done.set(true);
            probe.get();
            Instant last = delivered.stream().map(ApiCall::time).max(Instant::compareTo).orElse(start);
            List<WaveResult.Late> stragglers = delivered.stream()
                    .filter(call -> Duration.between(start, call.time()).compareTo(timeout) > 0)
                    .sorted(java.util.Comparator.comparing(ApiCall::time))
                    .map(call -> new WaveResult.Late(call.chatId(),
                            Duration.between(start, call.time()).toMillis() / 1000.0))
                    .toList();
            return new WaveResult(workload, Duration.between(start, last).toNanos(), longestPrediction(start),
                    delivered.size(), telegram.tooManyRequestsCount() - tooManyBefore,
                    coldStarts() - coldBefore, List.copyOf(acks), cpu, waited, stragglers,
                    missing(workload, delivered));
        } finally {
            done.set(true);
            senders.shutdownNow();
        }
    }

    /**
     * What the job record says of each image whose user has fewer images than prompts: no record means no worker
     * claimed it (its message is back in the queue only after the visibility timeout, as when the invocation that
     * received it failed or its environment's init timed out).
     */
    private List<String> missing(Workload workload, List<ApiCall> delivered) throws java.io.IOException {
        Map<Long, Long> images = delivered.stream()
                .collect(java.util.stream.Collectors.groupingBy(ApiCall::chatId, java.util.stream.Collectors.counting()));
        List<String> missing = new ArrayList<>();
        for (long user : workload.userIds()) {
            for (long prompt = images.getOrDefault(user, 0L); prompt < workload.promptsPerUser(); prompt++) {
                String jobId = poster.lastUpdateId(user) + "-" + prompt + "-0";
                String state;
                try {
                    state = Updates.JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(bucket)
                            .key(StorageKeys.job(jobId))).asByteArray()).path("state").asText("?");
                } catch (NoSuchKeyException e) {
                    state = "no job record: never claimed by a worker";
                }
                missing.add("user " + user + " job " + jobId + " " + state);
            }
        }
        return missing;
    }

    private static List<ApiCall> awaitImages(LocalTelegram telegram, Set<Long> chats, Instant start, int expected,
            long deadline) throws InterruptedException {
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
