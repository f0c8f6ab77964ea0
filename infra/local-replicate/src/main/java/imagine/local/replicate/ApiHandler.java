package imagine.local.replicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The /v1 predictions routes, plus /p/{id} standing in for the prediction's web page. */
final class ApiHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final Pattern MODEL_CREATE = Pattern.compile("/v1/models/([^/]+)/([^/]+)/predictions/?");
    private static final Pattern ONE = Pattern.compile("/(?:v1/predictions|p)/([a-z0-9]+)/?");
    private static final Pattern CANCEL = Pattern.compile("/v1/predictions/([a-z0-9]+)/cancel/?");
    private static final Pattern PREFER_WAIT = Pattern.compile("(?:^|[,;\\s])wait(?:=(\\d+))?(?:$|[,;\\s])");
    private static final int MAX_WAIT_SECONDS = 60;
    /** A cued create answers at the latest after this, even when its webhook found nobody to answer it. */
    private static final Duration CUED_CREATE_HOLD = Duration.ofSeconds(15);

    private final String apiToken;
    private final String webhookSigningSecret;
    private final PredictionService service;
    private final PredictionRunner runner;
    private final PredictionStore store;
    private final URI baseUrl;
    private final Supplier<WebhookCue> cue;

    ApiHandler(String apiToken, String webhookSigningSecret, PredictionService service, PredictionRunner runner,
               PredictionStore store, URI baseUrl, Supplier<WebhookCue> cue) {
        this.cue = cue;
        this.apiToken = apiToken;
        this.webhookSigningSecret = webhookSigningSecret;
        this.service = service;
        this.runner = runner;
        this.store = store;
        this.baseUrl = baseUrl;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            route(exchange);
        } catch (ApiException e) {
            Exchanges.problem(exchange, e.problem());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Exchanges.problem(exchange, Problem.serverError());
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
            Exchanges.problem(exchange, Problem.serverError());
        }
    }

    private void route(HttpExchange exchange) throws IOException, InterruptedException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        URI base = calledAs(exchange);
        Matcher one = ONE.matcher(path);
        if (path.startsWith("/p/") && one.matches() && method.equals("GET")) {
            show(exchange, one.group(1), base);
            return;
        }
        authenticate(exchange);
        Matcher modelCreate = MODEL_CREATE.matcher(path);
        Matcher cancel = CANCEL.matcher(path);
        if (modelCreate.matches()) {
            requirePost(method);
            create(exchange, modelCreate.group(1) + "/" + modelCreate.group(2), base);
        } else if (path.equals("/v1/predictions") || path.equals("/v1/predictions/")) {
            if (method.equals("GET")) {
                Map<String, Object> page = new LinkedHashMap<>();
                page.put("next", null);
                page.put("previous", null);
                List<Map<String, Object>> newestFirst = new ArrayList<>();
                store.all().forEach(p -> newestFirst.add(0, PredictionJson.of(p, baseUrl, base)));
                page.put("results", newestFirst);
                Exchanges.json(exchange, 200, page);
            } else {
                requirePost(method);
                create(exchange, null, base);
            }
        } else if (path.equals("/v1/webhooks/default/secret") && method.equals("GET")) {
            Exchanges.json(exchange, 200, Map.of("key", webhookSigningSecret));
        } else if (cancel.matches()) {
            requirePost(method);
            Prediction canceled = runner.cancel(cancel.group(1)).orElseThrow(() -> new ApiException(Problem.notFound()));
            Exchanges.json(exchange, 200, PredictionJson.of(canceled, baseUrl, base));
        } else if (one.matches() && method.equals("GET")) {
            show(exchange, one.group(1), base);
        } else {
            throw new ApiException(Problem.notFound());
        }
    }

    private void create(HttpExchange exchange, String model, URI base) throws IOException, InterruptedException {
        Map<String, Object> body;
        try {
            body = Json.object(exchange.getRequestBody().readAllBytes());
        } catch (IOException e) {
            throw new ApiException(Problem.of(400, "Invalid JSON", "The request body is not a valid JSON object."));
        }
        Prediction prediction = service.create(model, CreateRequest.parse(body));
        if (prediction.webhook() != null && cue.get().beforeCreateReturns()) {
            runner.awaitFirstCallback(prediction.id(), CUED_CREATE_HOLD);
        }
        Optional<Duration> wait = preferWait(exchange.getRequestHeaders().getFirst("Prefer"));
        if (wait.isPresent()) {
            prediction = store.awaitTerminal(prediction.id(), wait.get());
        }
        Exchanges.json(exchange, 201, PredictionJson.of(prediction, baseUrl, base));
    }

    private void show(HttpExchange exchange, String id, URI base) throws IOException {
        Prediction prediction = store.get(id).orElseThrow(() -> new ApiException(Problem.notFound()));
        Exchanges.json(exchange, 200, PredictionJson.of(prediction, baseUrl, base));
    }

    /**
     * This server as the client named it (its Host header), so a client that reached it by another name, such as
     * a container through host.docker.internal, gets URLs it can fetch.
     */
    private URI calledAs(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        try {
            return host == null || host.isBlank() ? baseUrl : URI.create("http://" + host.trim());
        } catch (IllegalArgumentException e) {
            return baseUrl;
        }
    }

    static Optional<Duration> preferWait(String prefer) {
        if (prefer == null) {
            return Optional.empty();
        }
        Matcher wait = PREFER_WAIT.matcher(prefer.trim());
        if (!wait.find()) {
            return Optional.empty();
        }
        int seconds = wait.group(1) == null ? MAX_WAIT_SECONDS : Integer.parseInt(wait.group(1));
        return Optional.of(Duration.ofSeconds(Math.max(1, Math.min(MAX_WAIT_SECONDS, seconds))));
    }

    private void authenticate(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String token = null;
        if (header != null) {
            String[] parts = header.trim().split("\\s+", 2);
            boolean knownScheme = parts[0].equalsIgnoreCase("Bearer") || parts[0].equalsIgnoreCase("Token");
            token = knownScheme ? (parts.length == 2 ? parts[1] : "") : null;
        }
        boolean valid = token != null && (apiToken == null || MessageDigest.isEqual(
            apiToken.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8)));
        if (!valid) {
            throw new ApiException(Problem.unauthenticated());
        }
    }

    private static void requirePost(String method) {
        if (!method.equals("POST")) {
            throw new ApiException(Problem.of(405, "Method Not Allowed", "Method \"" + method + "\" not allowed."));
        }
    }
}
