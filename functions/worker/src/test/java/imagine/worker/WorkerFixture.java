package imagine.worker;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import imagine.core.BlockedTerms;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.S3Documents;
import imagine.core.StorageKeys;
import imagine.core.testing.LocalBucket;
import imagine.core.usage.UsageLedger;
import imagine.core.usage.Units;
import imagine.worker.replicate.ReplicateClient;
import imagine.worker.telegram.TelegramClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;

/**
 * The worker's functions as {@link Components} assembles them, over a real S3-compatible store, with Replicate and
 * Telegram answering over HTTP from one scripted server, a clock the test moves, and a jobs queue that records what is
 * put on it. By default Replicate creates prediction {@code p1}, which has succeeded with a PNG when asked, and
 * Telegram accepts every message.
 */
final class WorkerFixture implements AutoCloseable {
    static final String TELEGRAM_TOKEN = "0000:test-token";
    private static final LocalBucket BUCKET = new LocalBucket();
    private static final AtomicInteger IDS = new AtomicInteger();

    final MockWebServer remote = new MockWebServer();
    final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    final Map<String, Function<RecordedRequest, MockResponse>> routes = new ConcurrentHashMap<>();
    final TestClock clock = new TestClock();
    final RecordingQueue queue = new RecordingQueue();
    final List<Long> sleeps = new CopyOnWriteArrayList<>();
    final UsageLedger ledger = new UsageLedger(BUCKET.client(), LocalBucket.NAME, clock);
    final MediaStore media = new MediaStore(BUCKET.client(), LocalBucket.NAME);
    final S3Documents<JobRecord> records = new S3Documents<>(BUCKET.client(), LocalBucket.NAME, JobRecord.class);

    WorkerFixture() {
        remote.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.add(request);
                String path = request.getUrl().encodedPath();
                return routes.entrySet().stream().filter(route -> path.endsWith(route.getKey()))
                        .max((a, b) -> Integer.compare(a.getKey().length(), b.getKey().length()))
                        .map(route -> route.getValue().apply(request))
                        .orElse(new MockResponse.Builder().code(404).build());
            }
        });
        try {
            remote.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        routes.put("/sendChatAction", request -> telegramOk("true"));
        routes.put("/sendPhoto", request -> telegramOk(message(90)));
        routes.put("/sendDocument", request -> telegramOk(message(91)));
        routes.put("/sendVideo", request -> telegramOk(message(92)));
        routes.put("/sendMessage", request -> telegramOk(message(93)));
        routes.put("/predictions", request -> request.getMethod().equals("GET")
                ? new MockResponse.Builder().body("{\"next\":null,\"results\":[]}").build()
                : prediction("p1", "processing", null, null));
        routes.put("/predictions/p1", request -> prediction("p1", "succeeded", url("/out/p1.png"), null));
        routes.put("/predictions/p1/cancel", request -> prediction("p1", "canceled", null, null));
        routes.put("/out/p1.png", request -> new MockResponse.Builder().addHeader("Content-Type", "image/png")
                .body("png-bytes").build());
    }

    static S3Documents<JobRecord> records() {
        return new S3Documents<>(BUCKET.client(), LocalBucket.NAME, JobRecord.class);
    }

    static LocalBucket bucket() {
        return BUCKET;
    }

    /** The functions, waiting for each prediction by polling. */
    Components polling() {
        return components(null, WorkerTimings.DEFAULTS);
    }

    /** The functions, finishing predictions through Replicate's callbacks to this address. */
    Components callbacks() {
        return components(new Predictions.CallbackMode("https://bot.example/replicate"), WorkerTimings.DEFAULTS);
    }

    Components components(Predictions.CallbackMode callbacks, WorkerTimings timings) {
        OkHttpClient http = new OkHttpClient();
        return Components.assemble(new Components.Outside(http,
                new TelegramClient(http, url("/telegram"), TELEGRAM_TOKEN),
                new ReplicateClient(http, url("/"), "test-replicate-token"),
                BUCKET.client(), LocalBucket.NAME, queue, TelegramSendSlots.DEFAULT_PER_SECOND, clock, sleeps::add,
                timings, callbacks, BlockedTerms.parse("gore"), 1));
    }

    /**
     * A one-image job of a user of its own, from an update of its own, so tests that share the bucket never share a
     * record, a count or a mark; the nine update ids after it are free for the test's own later updates.
     */
    Job.Builder job() {
        int n = IDS.incrementAndGet();
        long user = 100_000 + n;
        long update = 700_000_000L + 10L * n;
        return Job.builder().jobId(update + "-0-0").replyingTo(user, 10).user(user, "en").prompt("a fox")
                .model("ideogram").aspectRatio("1:1").quotaDay(ledger.today());
    }

    /** An image job, counted against its user's day as the webhook counts an accepted prompt. */
    Job counted(Job image) {
        ledger.take(image.userId(), "u" + image.updateId(), new Units(1, 0), Units.NONE);
        return image;
    }

    JobRecord record(Job job) {
        return records.get(StorageKeys.job(job.jobId())).orElseThrow();
    }

    /** An SQS event of the jobs queue with one message per job, as Lambda's event source delivers it. */
    static SQSEvent event(Map<String, Job> byMessageId) {
        List<SQSMessage> messages = new ArrayList<>();
        byMessageId.forEach((id, job) -> {
            SQSMessage message = new SQSMessage();
            message.setMessageId(id);
            message.setReceiptHandle("receipt-" + id);
            message.setAttributes(Map.of("ApproximateReceiveCount", "1"));
            try {
                message.setBody(Json.MAPPER.writeValueAsString(job));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            messages.add(message);
        });
        SQSEvent event = new SQSEvent();
        event.setRecords(messages);
        return event;
    }

    String url(String path) {
        return remote.url(path).toString();
    }

    long count(String pathEnd) {
        return requests.stream().filter(r -> r.getUrl().encodedPath().endsWith(pathEnd)).count();
    }

    long creates() {
        return requests.stream().filter(r -> r.getMethod().equals("POST")
                && r.getUrl().encodedPath().endsWith("/predictions")).count();
    }

    RecordedRequest find(String pathEnd) {
        return requests.stream().filter(r -> r.getUrl().encodedPath().endsWith(pathEnd)).findFirst().orElseThrow();
    }

    String body(String pathEnd) {
        return find(pathEnd).getBody().string(StandardCharsets.UTF_8);
    }

    /** The text of every sendMessage, in order. */
    List<String> told() {
        return requests.stream().filter(r -> r.getUrl().encodedPath().endsWith("/sendMessage"))
                .map(r -> {
                    try {
                        return Json.MAPPER.readTree(r.getBody().string(StandardCharsets.UTF_8)).get("text").asText();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).toList();
    }

    static MockResponse telegramOk(String result) {
        return new MockResponse.Builder().body("{\"ok\":true,\"result\":" + result + "}").build();
    }

    static MockResponse telegramError(int code, String description) {
        return new MockResponse.Builder().code(code)
                .body("{\"ok\":false,\"error_code\":" + code + ",\"description\":\"" + description + "\"}").build();
    }

    static String message(long id) {
        return "{\"message_id\":" + id + ",\"chat\":{\"id\":1,\"type\":\"private\"}}";
    }

    MockResponse prediction(String id, String status, String output, String error) {
        return predictionAt(id, status, output, error, clock.instant());
    }

    static MockResponse predictionAt(String id, String status, String output, String error, Instant created) {
        return new MockResponse.Builder().code(201).body("{\"id\":\"" + id + "\",\"status\":\"" + status + "\""
                + (output == null ? "" : ",\"output\":\"" + output + "\"")
                + (error == null ? "" : ",\"error\":\"" + error + "\"")
                + (status.equals("starting") ? "" : ",\"started_at\":\"" + created + "\"")
                + ",\"created_at\":\"" + created + "\"}").build();
    }

    @Override
    public void close() {
        remote.close();
    }

    /** A clock that stands still until the test moves it. */
    static final class TestClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

        void advance(Duration by) {
            now.updateAndGet(instant -> instant.plus(by));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    /** The jobs queue, recording what is put on it. */
    static final class RecordingQueue implements WorkQueue {
        record Waiting(Job job, Duration after) {
        }

        record CameBack(String receiptHandle, Duration after) {
        }

        final List<Job> enqueued = new CopyOnWriteArrayList<>();
        final List<Waiting> waiting = new CopyOnWriteArrayList<>();
        final List<CameBack> cameBack = new CopyOnWriteArrayList<>();

        @Override
        public void enqueue(List<Job> jobs) {
            enqueued.addAll(jobs);
        }

        @Override
        public void putBack(Job job, Duration after) {
            waiting.add(new Waiting(job, after));
        }

        @Override
        public void comeBack(String receiptHandle, Duration after) {
            cameBack.add(new CameBack(receiptHandle, after));
        }
    }
}
