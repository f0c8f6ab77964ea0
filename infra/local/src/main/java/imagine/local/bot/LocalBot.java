package imagine.local.bot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import imagine.local.LocalPlatform;
import imagine.local.Options;
import imagine.local.aws.LocalAws;
import imagine.local.lambda.FunctionLogs;
import imagine.local.ops.Health;
import imagine.local.ops.OpsPage;
import imagine.local.replicate.LocalReplicate;
import imagine.local.replicate.ModelSchema;
import imagine.local.telegram.LocalTelegram;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole bot on one machine: the template's functions on the local platform, plus a local
 * Telegram and a local model wherever the real ones are not configured. With
 * {@code TELEGRAM_BOT_TOKEN} it long-polls the real Telegram; with {@code REPLICATE_API_TOKEN} it
 * calls the real Replicate; {@code TELEGRAM_API_URL} / {@code REPLICATE_API_URL} point at whatever
 * stands there.
 */
public final class LocalBot implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalBot.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CATALOG = "functions/core/src/main/resources/imagine/models.json";
    /** Matches the secret in events/, so {@code invoke} runs them as they are. */
    public static final String LOCAL_WEBHOOK_SECRET = "local-webhook-secret";
    public static final String LOCAL_REPLICATE_TOKEN = "local-replicate-token";
    /** The local model's webhook signing secret, fixed so sam local invoke's environment can name it. */
    public static final String LOCAL_SIGNING_SECRET = "whsec_bG9jYWwta2V5";
    /** The update kinds the bot handles, as the deploy registers them (Registration.ALLOWED_UPDATES). */
    static final List<String> UPDATE_KINDS = List.of("message", "callback_query");

    private final LocalTelegram telegram;
    private final LocalReplicate replicate;
    private final LocalPlatform platform;
    private final TelegramPolling polling;
    private final URI webhookUrl;
    /** Where the operations page and the status command look. */
    private final Health.Sources health;
    /** Serves the operations page when there is no local Telegram to serve it beside the chat; else null. */
    private final HttpServer opsServer;

    private LocalBot(LocalTelegram telegram, LocalReplicate replicate, LocalPlatform platform, TelegramPolling polling,
                     URI webhookUrl, Health.Sources health, HttpServer opsServer) {
        this.telegram = telegram;
        this.replicate = replicate;
        this.platform = platform;
        this.polling = polling;
        this.webhookUrl = webhookUrl;
        this.health = health;
        this.opsServer = opsServer;
    }

    /** How the bot is doing now, as the operations page and the status command show it. */
    public Health health() throws IOException, InterruptedException {
        return Health.read(health);
    }

    /**
     * @param project     the repository's root (template.yaml, the function jars, the catalog)
     * @param settings    ports, state, model latency, template parameters
     * @param environment where TELEGRAM_* and REPLICATE_* settings are looked up (the process environment)
     */
    public static LocalBot start(Path project, Settings settings, Map<String, String> environment) {
        return start(project, settings, environment, FunctionLogs.readable());
    }

    /** @param logs prints the functions' lines and keeps their metrics and problems */
    public static LocalBot start(Path project, Settings settings, Map<String, String> environment, FunctionLogs logs) {
        LocalTelegram telegram = null;
        LocalReplicate replicate = null;
        LocalPlatform platform = null;
        Network network = settings.network();
        try {
            String telegramToken = environment.get("TELEGRAM_BOT_TOKEN");
            String telegramUrl = environment.getOrDefault("TELEGRAM_API_URL", "https://api.telegram.org");
            String username = environment.getOrDefault("TELEGRAM_BOT_USERNAME", "");
            String secret = environment.getOrDefault("TELEGRAM_WEBHOOK_SECRET", LOCAL_WEBHOOK_SECRET);
            boolean ownTelegram = telegramToken == null && !environment.containsKey("TELEGRAM_API_URL");
            if (ownTelegram) {
                telegram = LocalTelegram.start(LocalTelegram.Options.builder()
                        .host(network.listenAddress())
                        .port(network.chatPort())
                        .dataDirectory(settings.stateDirectory() == null ? null
                                : settings.stateDirectory().resolve("telegram"))
                        .webhookRetry(settings.webhookRetry())
                        .build());
                telegramToken = telegram.botToken();
                telegramUrl = telegram.baseUrl().toString();
                username = telegram.botUsername();
            } else if (username.isEmpty()) {
                username = botUsername(URI.create(telegramUrl), telegramToken);
            }

            String replicateToken = environment.get("REPLICATE_API_TOKEN");
            String replicateUrl = environment.getOrDefault("REPLICATE_API_URL", "https://api.replicate.com");
            if (replicateToken == null && !environment.containsKey("REPLICATE_API_URL")) {
                replicate = LocalReplicate.start(LocalReplicate.Options.builder()
                        .host(network.listenAddress())
                        .port(network.modelPort())
                        .apiToken(LOCAL_REPLICATE_TOKEN)
                        .webhookSigningSecret(LOCAL_SIGNING_SECRET)
                        .latency(settings.modelLatency())
                        .pictureLongSide(settings.pictureLongSide())
                        .models(catalogSchemas(project.resolve(CATALOG)))
                        .build());
                replicateToken = LOCAL_REPLICATE_TOKEN;
                replicateUrl = replicate.baseUrl().toString();
            }

            // Callbacks need an address the model can reach: the template's API (the stand-in, or sam local
            // start-api), for the local model; for any other, whatever PUBLIC_URL says (a tunnel to this machine).
            String publicUrl = environment.getOrDefault("PUBLIC_URL", "");
            boolean callbacks = settings.callbackCheck() != null && (replicate != null || !publicUrl.isEmpty());
            Map<String, String> attributes = new LinkedHashMap<>();
            if (callbacks) {
                attributes.put("ReplicateSigningSecret.Key", replicate != null ? LOCAL_SIGNING_SECRET
                        : environment.getOrDefault("REPLICATE_WEBHOOK_SECRET", ""));
                if (replicate == null) {
                    attributes.put("HttpApi.ApiEndpoint", publicUrl);
                }
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("TelegramBotToken", telegramToken);
            parameters.put("TelegramWebhookSecret", secret);
            parameters.put("TelegramBotUsername", username);
            parameters.put("ReplicateApiToken", replicateToken == null ? "" : replicateToken);
            parameters.put("AllowedUserIds", "everyone");
            parameters.put("DailyImageQuota", "0");
            parameters.put("DailyVideoQuota", "0");
            parameters.put("DailyBudgetUsd", "0");
            parameters.put("PredictionUpdates", callbacks ? "callbacks" : "polling");
            parameters.putAll(settings.parameters());
            Map<String, String> variables = new LinkedHashMap<>();
            variables.put("TELEGRAM_API_URL", telegramUrl);
            variables.put("REPLICATE_API_URL", replicateUrl);
            if (callbacks) {
                variables.put("CALLBACK_CHECK_SECONDS", Long.toString(settings.callbackCheck().toSeconds()));
            }
            variables.putAll(settings.environment());
            platform = LocalPlatform.start(Options.defaults(project.resolve("template.yaml"))
                    .withParameters(parameters)
                    .withEnvironment(variables)
                    .withAttributes(attributes)
                    .withListenAddress(network.listenAddress())
                    .withApiPort(network.apiPort())
                    .withServicePorts(network.sqsPort(), network.s3Port(), network.cloudFormationPort())
                    .withStateDirectory(settings.stateDirectory())
                    .withPollQueues(settings.pollQueues())
                    .withStartAhead(settings.startAhead()), logs);

            URI webhook = URI.create(platform.apiUrl().toString().replaceAll("/+$", "") + "/telegram");
            TelegramPolling polling = null;
            if (ownTelegram) {
                setWebhook(telegram.baseUrl(), telegramToken, webhook, secret);
            } else if (settings.pollQueues()) {
                polling = new TelegramPolling(URI.create(telegramUrl), telegramToken, webhook, secret,
                        settings.takeOverWebhook(), environment.get("TELEGRAM_WEBHOOK_SECRET"));
                polling.start();
            }
            Health.Sources sources = new Health.Sources(URI.create(telegramUrl), telegramToken,
                    LocalAws.defaults().sqs(platform.sqsEndpoint()), platform.queueUrl("JobsQueue"),
                    platform.queueUrl("JobsDeadLetterQueue"), LocalAws.defaults().s3(platform.s3Endpoint()),
                    platform.bucketName("MediaBucket"), -1, Clock.systemUTC());
            OpsPage page = new OpsPage(() -> Health.read(sources), logs);
            HttpServer opsServer = null;
            if (telegram != null) {
                telegram.serve("/ops", page);
            } else {
                opsServer = HttpServer.create(new InetSocketAddress(network.listenAddress(), network.chatPort()), 16);
                opsServer.createContext("/ops", page);
                opsServer.start();
            }
            LOG.info(callbacks ? "predictions finish through callbacks to {}/replicate" : "predictions finish by polling",
                    replicate != null ? platform.apiUrl() : publicUrl);
            return new LocalBot(telegram, replicate, platform, polling, webhook, sources, opsServer);
        } catch (IOException e) {
            closeAll(platform, replicate, telegram);
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeAll(platform, replicate, telegram);
            throw new IllegalStateException("interrupted while starting", e);
        } catch (RuntimeException e) {
            closeAll(platform, replicate, telegram);
            throw e;
        }
    }

    /** Where the model posts finished predictions: the template's /replicate route on the API Gateway stand-in. */
    public URI callbackUrl() {
        return URI.create(platform.apiUrl().toString().replaceAll("/+$", "") + "/replicate");
    }

    /** The local Telegram, or null when a real or external one is used. */
    public LocalTelegram telegram() {
        return telegram;
    }

    /** The local model, or null when a real or external one is used. */
    public LocalReplicate replicate() {
        return replicate;
    }

    public LocalPlatform platform() {
        return platform;
    }

    /** Where Telegram delivers updates: the template's /telegram route on the API Gateway stand-in. */
    public URI webhookUrl() {
        return webhookUrl;
    }

    @Override
    public void close() {
        if (polling != null) {
            polling.close();
        }
        if (opsServer != null) {
            opsServer.stop(0);
        }
        closeAll(health.sqs(), health.s3());
        closeAll(platform, replicate, telegram);
    }

    /** Registers the webhook the way the deploy does: a setWebhook call with the secret. */
    private static void setWebhook(URI telegramApi, String token, URI webhook, String secret)
            throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("url", webhook.toString(), "secret_token", secret,
                "allowed_updates", UPDATE_KINDS));
        JsonNode answer = botApi(telegramApi, token, "setWebhook", body);
        if (!answer.path("ok").asBoolean()) {
            throw new IllegalStateException("setWebhook failed: " + answer.path("description").asText());
        }
    }

    private static String botUsername(URI telegramApi, String token) throws IOException, InterruptedException {
        JsonNode me = botApi(telegramApi, token, "getMe", "{}");
        if (!me.path("ok").asBoolean()) {
            throw new IllegalStateException("getMe failed: " + me.path("description").asText()
                    + " (is TELEGRAM_BOT_TOKEN right?)");
        }
        return me.at("/result/username").asText();
    }

    private static JsonNode botApi(URI telegramApi, String token, String method, String body)
            throws IOException, InterruptedException {
        URI url = URI.create(telegramApi.toString().replaceAll("/+$", "") + "/bot" + token + "/" + method);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    /** The local model accepts what each catalog entry declares, as Replicate's schemas do. */
    static Map<String, ModelSchema> catalogSchemas(Path catalog) throws IOException {
        Map<String, ModelSchema> schemas = new LinkedHashMap<>();
        for (JsonNode model : JSON.readTree(catalog.toFile())) {
            List<String> ratios = model.path("aspect_ratios").isArray()
                    ? JSON.convertValue(model.get("aspect_ratios"), JSON.getTypeFactory()
                            .constructCollectionType(List.class, String.class))
                    : List.of();
            schemas.put(model.get("replicate").asText(), new ModelSchema(model.get("kind").asText(),
                    text(model, "aspect_ratio_field"), ratios, text(model, "image_field"),
                    model.path("image_required").asBoolean()));
        }
        return schemas;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static void closeAll(AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", part.getClass().getSimpleName(), e.toString());
            }
        }
    }

    /**
     * Where the stand-ins listen. Beyond loopback (an address containers reach) the functions run by sam local
     * invoke or start-api reach them too, on these ports.
     *
     * @param listenAddress      127.0.0.1 (the default), or 0.0.0.0 for every interface
     * @param chatPort           the chat page and the local Bot API
     * @param apiPort            the API Gateway stand-in; {@link Options#NO_API}: none, sam local start-api serves
     *                           the routes on 3000
     * @param modelPort          the local model (Replicate's API)
     * @param sqsPort            the functions' SQS endpoint
     * @param s3Port             the S3 stand-in
     * @param cloudFormationPort where custom resources answer CloudFormation (their event's ResponseURL)
     */
    public record Network(String listenAddress, int chatPort, int apiPort, int modelPort, int sqsPort, int s3Port,
                          int cloudFormationPort) {
        /** The documented ports of {@code infra/imagine run}, on loopback. */
        public static final Network FIXED = new Network(Options.LOOPBACK, 8080, Options.DEFAULT_API_PORT, 8081, 9324,
                9000, 8082);
        /** Any free ports, on loopback. */
        public static final Network FREE = new Network(Options.LOOPBACK, 0, 0, 0, 0, 0, 0);

        public Network withListenAddress(String address) {
            return new Network(address, chatPort, apiPort, modelPort, sqsPort, s3Port, cloudFormationPort);
        }

        public Network withApiPort(int port) {
            return new Network(listenAddress, chatPort, port, modelPort, sqsPort, s3Port, cloudFormationPort);
        }
    }

    /**
     * @param network       where the stand-ins listen
     * @param stateDirectory media, job records and chat files that survive a restart; null = memory
     * @param modelLatency  how long the local model takes per prediction
     * @param webhookRetry  the local Telegram's first delay before redelivering a failed update
     * @param parameters    template parameters over the local defaults
     * @param pollQueues    false runs no event sources (for single invocations)
     * @param callbackCheck null: the worker polls each prediction; otherwise predictions finish through Replicate's
     *                      callbacks (with the local model, or a PUBLIC_URL in the environment) and a job whose
     *                      callback did not come is checked on after this
     * @param environment   variables every function gets over the template's (the functions' clocks, scaled down)
     * @param takeOverWebhook with a real bot's token, whether polling may remove a webhook that is set (a deployed
     *                      bot's), which is otherwise refused
     * @param startAhead    how many environments of each function are initialised while the platform starts, as
     *                      provisioned concurrency keeps them ready (interactive runs: {@link #INTERACTIVE_AHEAD};
     *                      tests: 0, every environment starts cold)
     * @param pictureLongSide the longer side of the local model's pictures, in pixels
     */
    public record Settings(Network network, Path stateDirectory, Duration modelLatency, Duration webhookRetry,
                           Map<String, String> parameters, boolean pollQueues, Duration callbackCheck,
                           Map<String, String> environment, boolean takeOverWebhook, int startAhead,
                           int pictureLongSide) {
        /** The worker's own default (CALLBACK_CHECK_SECONDS unset). */
        public static final Duration DEFAULT_CALLBACK_CHECK = Duration.ofSeconds(120);
        /**
         * Environments of each function started ahead by {@code imagine run}: two, as a first message's jobs reach
         * the worker in two batches at once, and its images come back to the callback function together.
         */
        public static final int INTERACTIVE_AHEAD = 2;

        /** The documented ports, callbacks as deployed. */
        public static Settings interactive(Path stateDirectory) {
            Builder builder = new Builder(Network.FIXED, Duration.ofSeconds(3), Duration.ofSeconds(1));
            builder.stateDirectory = stateDirectory;
            builder.callbackCheck = DEFAULT_CALLBACK_CHECK;
            builder.startAhead = INTERACTIVE_AHEAD;
            return builder.build();
        }

        /** Free ports, memory only, a quick model and quick retries; polling. */
        public static Settings forTests(Duration modelLatency) {
            Builder builder = new Builder(Network.FREE, modelLatency, Duration.ofMillis(200));
            builder.parameters.put("RetryFirstDelaySeconds", "1");
            return builder.build();
        }

        public Settings withNetwork(Network where) {
            return with(builder -> builder.network = where);
        }

        public Settings withParameters(Map<String, String> more) {
            return with(builder -> builder.parameters.putAll(more));
        }

        public Settings withModelLatency(Duration latency) {
            return with(builder -> builder.modelLatency = latency);
        }

        public Settings withoutPolling() {
            return with(builder -> builder.pollQueues = false);
        }

        /** Predictions finish through callbacks; a job whose callback has not come is checked on after {@code check}. */
        public Settings withCallbacks(Duration check) {
            return with(builder -> builder.callbackCheck = check);
        }

        /** The worker polls every prediction. */
        public Settings withPolling() {
            return with(builder -> builder.callbackCheck = null);
        }

        public Settings withEnvironment(Map<String, String> more) {
            return with(builder -> builder.environment.putAll(more));
        }

        /** With a real bot's token: polling removes the webhook of a deployed bot, and puts it back at the end if it can. */
        public Settings withWebhookTakenOver() {
            return with(builder -> builder.takeOverWebhook = true);
        }

        /** How many environments of each function are initialised while the platform starts. */
        public Settings withStartAhead(int ahead) {
            return with(builder -> builder.startAhead = ahead);
        }

        /** The local model draws pictures this long on their longer side. */
        public Settings withPictureLongSide(int pixels) {
            return with(builder -> builder.pictureLongSide = pixels);
        }

        /** These settings with {@code change} made to them. */
        private Settings with(Consumer<Builder> change) {
            Builder builder = new Builder(network, modelLatency, webhookRetry);
            builder.stateDirectory = stateDirectory;
            builder.parameters.putAll(parameters);
            builder.pollQueues = pollQueues;
            builder.callbackCheck = callbackCheck;
            builder.environment.putAll(environment);
            builder.takeOverWebhook = takeOverWebhook;
            builder.startAhead = startAhead;
            builder.pictureLongSide = pictureLongSide;
            change.accept(builder);
            return builder.build();
        }

        /** Settings field by field, each starting at its default (memory, polling, no environment started ahead). */
        private static final class Builder {
            private Network network;
            private Duration modelLatency;
            private final Duration webhookRetry;
            private Path stateDirectory;
            private final Map<String, String> parameters = new LinkedHashMap<>();
            private boolean pollQueues = true;
            private Duration callbackCheck;
            private final Map<String, String> environment = new LinkedHashMap<>();
            private boolean takeOverWebhook;
            private int startAhead;
            private int pictureLongSide = LocalReplicate.Options.FULL_PICTURES;

            private Builder(Network network, Duration modelLatency, Duration webhookRetry) {
                this.network = network;
                this.modelLatency = modelLatency;
                this.webhookRetry = webhookRetry;
            }

            private Settings build() {
                return new Settings(network, stateDirectory, modelLatency, webhookRetry, Map.copyOf(parameters),
                        pollQueues, callbackCheck, Map.copyOf(environment), takeOverWebhook, startAhead,
                        pictureLongSide);
            }
        }
    }
}
