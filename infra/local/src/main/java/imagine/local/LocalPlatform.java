package imagine.local;

import imagine.local.api.LocalApiGateway;
import imagine.local.aws.CloudFormationResponses;
import imagine.local.aws.LocalSqs;
import imagine.local.aws.SqsFaults;
import imagine.local.lambda.FunctionLogs;
import imagine.local.lambda.FunctionRuntime;
import imagine.local.s3.LocalS3;
import imagine.local.s3.S3Faults;
import imagine.local.s3.S3Requests;
import imagine.local.sqs.SqsEventSource;
import imagine.local.template.FunctionSpec;
import imagine.local.template.Intrinsics;
import imagine.local.template.QueueAddress;
import imagine.local.template.SamTemplate;
import imagine.local.template.SqsSubscription;
import imagine.local.template.TemplateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The template's functions, routes, queues and bucket running in this JVM with no AWS account. */
public final class LocalPlatform implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPlatform.class);

    private final List<SqsEventSource> sources = new ArrayList<>();
    private final Map<String, FunctionRuntime> functions = new LinkedHashMap<>();
    private final Map<String, QueueAddress> queues = new LinkedHashMap<>();
    private final Map<String, String> buckets = new LinkedHashMap<>();
    private LocalS3 s3;
    private LocalSqs sqs;
    private SqsFaults sqsFaults;
    private SqsClient sqsClient;
    private LocalApiGateway api;
    private CloudFormationResponses cloudFormation;
    private URI apiEndpoint;
    private final FunctionLogs logs;

    private LocalPlatform(FunctionLogs logs) {
        this.logs = logs;
    }

    /** The functions' lines printed readably. */
    public static LocalPlatform start(Options options) {
        return start(options, FunctionLogs.readable());
    }

    /** {@code logs} prints the functions' lines and keeps their metrics and problems. */
    public static LocalPlatform start(Options options, FunctionLogs logs) {
        LocalPlatform platform = new LocalPlatform(logs);
        try {
            platform.boot(options);
            return platform;
        } catch (RuntimeException | IOException e) {
            platform.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    private void boot(Options options) throws IOException {
        SamTemplate template = SamTemplate.load(options.template());
        options.aws().applyToSystemProperties();
        Intrinsics values = template.intrinsics(options.parameters(), options.aws().region(), options.aws().accountId());
        String listen = options.listenAddress();

        s3 = LocalS3.start(listen, options.s3Port(), options.stateDirectory() == null
                ? null : options.stateDirectory().resolve("s3"), options.aws().accessKeyId(),
                options.aws().secretAccessKey(), !options.beyondLoopback());
        for (String id : template.bucketIds()) {
            String name = options.bucketNames().getOrDefault(id, id.toLowerCase());
            s3.createBucket(name);
            buckets.put(id, name);
            values = values.withBucket(id, name);
        }

        sqs = LocalSqs.start(0, options.aws());
        queues.putAll(sqs.createQueues(template.queues(values).values()));
        for (Map.Entry<String, QueueAddress> queue : queues.entrySet()) {
            values = values.withQueue(queue.getKey(), queue.getValue());
        }
        cloudFormation = CloudFormationResponses.start(listen, options.cloudFormationPort());

        if (options.apiPort() != Options.NO_API) {
            api = LocalApiGateway.start(listen, options.apiPort(), options.aws().accountId());
        }
        // Without a stand-in, sam local start-api serves the routes on its port 3000.
        apiEndpoint = api == null ? URI.create("http://127.0.0.1:" + Options.DEFAULT_API_PORT) : api.url();
        for (String id : template.httpApiIds()) {
            values = values.withAttribute(id, "ApiEndpoint", apiEndpoint.toString());
        }
        for (Map.Entry<String, String> attribute : options.attributes().entrySet()) {
            int dot = attribute.getKey().indexOf('.');
            values = values.withAttribute(attribute.getKey().substring(0, dot), attribute.getKey().substring(dot + 1),
                    attribute.getValue());
        }

        Map<String, String> extra = new LinkedHashMap<>();
        // The functions reach SQS through a pass-through that can fail on cue; the event sources go direct.
        sqsFaults = SqsFaults.start(listen, options.sqsPort(), sqs.endpoint());
        extra.put("SQS_ENDPOINT_URL", sqsFaults.endpoint().toString());
        extra.put("S3_ENDPOINT_URL", s3.endpoint().toString());
        extra.putAll(options.environment());
        List<LocalApiGateway.Route> routes = new ArrayList<>();
        for (FunctionSpec spec : template.functions(values).values()) {
            int concurrency = spec.sqsEvents().stream().map(SqsSubscription::maximumConcurrency)
                    .filter(Objects::nonNull).max(Integer::compare).orElse(options.defaultConcurrency());
            FunctionRuntime function = new FunctionRuntime(spec, extra, concurrency, options.aws(), logs);
            functions.put(spec.logicalId(), function);
            spec.routes().forEach(route -> routes.add(new LocalApiGateway.Route(route, function)));
        }
        if (api != null) {
            api.route(routes);
        }
        if (options.startAhead() > 0) {
            startAhead(options.startAhead());
        }

        sqsClient = options.aws().sqs(sqs.endpoint());
        if (options.pollQueues()) {
            for (FunctionRuntime function : functions.values()) {
                for (SqsSubscription event : function.spec().sqsEvents()) {
                    QueueAddress queue = known(queues, event.queueId(), "queue");
                    sources.add(SqsEventSource.start(event, queue, function, sqsClient, options.aws().region()));
                }
            }
        }
        LOG.info("local platform up: API {}, SQS {}, S3 {}", apiEndpoint, sqsFaults.endpoint(), s3.endpoint());
    }

    /**
     * Environments of each function, initialised before the routes and queues deliver anything. The inits run at
     * once, taking turns for the cores as cold starts do.
     */
    private void startAhead(int count) {
        long start = System.nanoTime();
        List<Thread> inits = new ArrayList<>();
        for (FunctionRuntime function : functions.values()) {
            for (int i = 0; i < Math.min(count, function.maximumConcurrency()); i++) {
                Thread init = new Thread(function::startAhead, "start-ahead-" + function.name());
                init.start();
                inits.add(init);
            }
        }
        try {
            for (Thread init : inits) {
                init.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting environments ahead", e);
        }
        LOG.info("{} environments of each of {} functions started ahead in {} ms", count, functions.size(),
                (System.nanoTime() - start) / 1_000_000);
    }

    /** The functions' metrics and latest problems. */
    public FunctionLogs logs() {
        return logs;
    }

    /** Where the template's routes are served: the API stand-in, or sam local start-api without one. */
    public URI apiUrl() {
        return apiEndpoint;
    }

    /** Where custom resources answer CloudFormation (their event's ResponseURL), and what they answered. */
    public CloudFormationResponses cloudFormation() {
        return cloudFormation;
    }

    public URI sqsEndpoint() {
        return sqs.endpoint();
    }

    public URI s3Endpoint() {
        return s3.endpoint();
    }

    /** SendMessageBatch failures of the functions' SQS on cue. */
    public SqsFaults sqsFaults() {
        return sqsFaults;
    }

    /** Errors and slowness of the local S3 on cue. */
    public S3Faults s3Faults() {
        return s3.faults();
    }

    /** The requests the local S3 has served, by operation and key area. */
    public S3Requests.Counts s3Requests() {
        return s3.requests().counts();
    }

    public String queueUrl(String logicalId) {
        return known(queues, logicalId, "queue").url();
    }

    public String queueArn(String logicalId) {
        return known(queues, logicalId, "queue").arn();
    }

    public String bucketName(String logicalId) {
        return known(buckets, logicalId, "bucket");
    }

    public FunctionRuntime function(String logicalId) {
        return known(functions, logicalId, "function");
    }

    /** Every variable the function's environments get; holds secrets: never print its values. */
    public Map<String, String> functionEnvironment(String logicalId) {
        return function(logicalId).environment();
    }

    /** Pollers first, so no batch is taken that could not be finished; then the API, the functions, SQS, S3. */
    @Override
    public void close() {
        sources.forEach(SqsEventSource::close);
        closeQuietly(api);
        functions.values().forEach(FunctionRuntime::close);
        closeQuietly(sqsClient);
        closeQuietly(sqsFaults);
        closeQuietly(cloudFormation);
        closeQuietly(sqs);
        closeQuietly(s3);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("closing {}: {}", closeable.getClass().getSimpleName(), e.toString());
        }
    }

    private static <T> T known(Map<String, T> map, String id, String what) {
        T value = map.get(id);
        if (value == null) {
            throw new TemplateException("No " + what + " " + id + " in the template (" + map.keySet() + ")");
        }
        return value;
    }
}
