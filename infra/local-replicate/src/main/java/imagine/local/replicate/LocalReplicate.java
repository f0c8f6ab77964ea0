package imagine.local.replicate;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A Replicate-compatible predictions API (on 127.0.0.1 unless told otherwise) that draws real pictures after a
 * configurable latency and fails on cue. Its {@link #baseUrl()} stands in for {@code https://api.replicate.com}.
 */
public final class LocalReplicate implements AutoCloseable {

    /**
     * @param host                 the address to listen on (127.0.0.1 unless containers must reach it)
     * @param port                 0 picks a free port
     * @param apiToken             the token bearers must present; null accepts any bearer token
     * @param latency              how long a prediction runs
     * @param jitter               fraction of the latency added or removed at random, 0.2 = ±20%
     * @param webhookSigningSecret "whsec_" + base64 key; null generates one
     * @param models               "owner/name" to schema; empty accepts any model as an image model
     * @param pictureLongSide      the longer side of a drawn picture, in pixels ({@link #FULL_PICTURES} as models
     *                             draw them; tests that look at what arrives, not at pixels, draw smaller ones, which
     *                             cost a small part of the CPU to draw and to thumbnail)
     */
    public record Options(String host, int port, String apiToken, Duration latency, double jitter, String webhookSigningSecret,
                          Map<String, ModelSchema> models, int pictureLongSide) {
        public static final int FULL_PICTURES = 1024;

        public Options {
            Objects.requireNonNull(host, "host");
            if (latency == null || latency.isNegative()) {
                throw new IllegalArgumentException("latency must be zero or more");
            }
            if (jitter < 0 || jitter > 1) {
                throw new IllegalArgumentException("jitter must be within 0..1");
            }
            models = models == null ? Map.of() : Map.copyOf(models);
            if (pictureLongSide < 16) {
                throw new IllegalArgumentException("pictures must be at least 16 pixels long");
            }
        }

        public static Builder builder() {
            return new Builder();
        }

        public static final class Builder {
            private String host = "127.0.0.1";
            private int port;
            private String apiToken;
            private Duration latency = Duration.ofSeconds(3);
            private double jitter = 0.2;
            private String webhookSigningSecret;
            private Map<String, ModelSchema> models = Map.of();
            private int pictureLongSide = FULL_PICTURES;

            public Builder host(String host) {
                this.host = host;
                return this;
            }

            public Builder port(int port) {
                this.port = port;
                return this;
            }

            public Builder apiToken(String apiToken) {
                this.apiToken = apiToken;
                return this;
            }

            public Builder latency(Duration latency) {
                this.latency = latency;
                return this;
            }

            public Builder jitter(double jitter) {
                this.jitter = jitter;
                return this;
            }

            public Builder webhookSigningSecret(String webhookSigningSecret) {
                this.webhookSigningSecret = webhookSigningSecret;
                return this;
            }

            public Builder models(Map<String, ModelSchema> models) {
                this.models = models;
                return this;
            }

            public Builder pictureLongSide(int pixels) {
                this.pictureLongSide = pixels;
                return this;
            }

            public Options build() {
                return new Options(host, port, apiToken, latency, jitter, webhookSigningSecret, models, pictureLongSide);
            }
        }
    }

    private final HttpServer server;
    private final ExecutorService httpThreads;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private final URI baseUrl;
    private final String webhookSigningSecret;
    private final PredictionStore store;
    private final FaultQueue faults;
    private final AtomicReference<WebhookCue> cue = new AtomicReference<>(WebhookCue.NORMAL);
    private WebhookDispatcher webhooks;

    private LocalReplicate(HttpServer server, ExecutorService httpThreads, ExecutorService workers,
                           ScheduledExecutorService scheduler, String webhookSigningSecret, PredictionStore store,
                           FaultQueue faults) {
        this.server = server;
        this.httpThreads = httpThreads;
        this.workers = workers;
        this.scheduler = scheduler;
        this.baseUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        this.webhookSigningSecret = webhookSigningSecret;
        this.store = store;
        this.faults = faults;
    }

    public static LocalReplicate start(Options options) {
        System.setProperty("java.awt.headless", "true");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + options.port(), e);
        }
        String secret = options.webhookSigningSecret() == null
            ? WebhookSigner.newSecret() : options.webhookSigningSecret();
        ExecutorService httpThreads = Executors.newCachedThreadPool(daemons("local-replicate-http"));
        ExecutorService workers = Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), daemons("local-replicate-draw"));
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, daemons("local-replicate-timer"));
        LocalReplicate replicate = new LocalReplicate(server, httpThreads, workers, scheduler, secret,
            new PredictionStore(), new FaultQueue());
        replicate.wire(options);
        server.setExecutor(httpThreads);
        server.start();
        return replicate;
    }

    private void wire(Options options) {
        FileStore files = new FileStore();
        Renderer renderer = new Renderer(baseUrl, files, new ImageFetcher(), options.pictureLongSide());
        webhooks = new WebhookDispatcher(new WebhookSigner(webhookSigningSecret), scheduler, cue::get);
        PredictionRunner runner = new PredictionRunner(store, renderer, webhooks, baseUrl, workers, scheduler,
            options.latency(), options.jitter());
        PredictionService service = new PredictionService(options.models(), faults, store, runner);
        ApiHandler api = new ApiHandler(options.apiToken(), webhookSigningSecret, service, runner, store, baseUrl,
            cue::get);
        server.createContext("/v1/", api);
        server.createContext("/p/", api);
        server.createContext("/files/", new FilesHandler(files));
    }

    /** The API root, what the bot takes as REPLICATE_API_URL. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** The secret webhook receivers verify signatures with. */
    public String webhookSigningSecret() {
        return webhookSigningSecret;
    }

    /** Makes the next create, of any model, fail with the fault. */
    public void failNext(Fault fault) {
        faults.add(Objects.requireNonNull(fault));
    }

    /** Makes the next create of the model fail with the fault; these come before faults for any model. */
    public void failNext(String model, Fault fault) {
        faults.add(model, Objects.requireNonNull(fault));
    }

    /** How the completed webhooks of predictions from now on are delivered; {@link WebhookCue#NORMAL} to reset. */
    public void cueWebhooks(WebhookCue next) {
        cue.set(Objects.requireNonNull(next));
    }

    /** Every webhook posted so far and the receiver's answer. */
    public List<WebhookDelivery> webhookDeliveries() {
        return webhooks.deliveries();
    }

    /** Every prediction created so far, oldest first. */
    public List<Prediction> predictions() {
        return store.all();
    }

    public int createdCount() {
        return store.all().size();
    }

    public long countFor(String model) {
        return store.all().stream().filter(p -> p.model().equals(model)).count();
    }

    /**
     * Waits until the prediction is terminal.
     *
     * @throws IllegalArgumentException when there is no such prediction
     * @throws IllegalStateException    when it is still running after the timeout
     */
    public Prediction awaitCompleted(String id, Duration timeout) throws InterruptedException {
        if (store.get(id).isEmpty()) {
            throw new IllegalArgumentException("no prediction " + id);
        }
        Prediction prediction = store.awaitTerminal(id, timeout);
        if (!prediction.status().terminal()) {
            throw new IllegalStateException("prediction " + id + " still " + prediction.status().json()
                + " after " + timeout);
        }
        return prediction;
    }

    @Override
    public void close() {
        server.stop(0);
        httpThreads.shutdownNow();
        workers.shutdownNow();
        scheduler.shutdownNow();
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
