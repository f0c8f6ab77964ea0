package imagine.local.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import imagine.local.lambda.FunctionRuntime;
import imagine.local.lambda.InvocationResult;
import imagine.local.template.HttpRoute;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An HTTP API stand-in: the template's HttpApi routes, invoked with payload-2.0 events. */
public final class LocalApiGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalApiGateway.class);

    /** A route and the function it invokes. */
    public record Route(HttpRoute route, FunctionRuntime function) {
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final String accountId;
    private volatile List<Binding> bindings = List.of();

    private record Binding(RoutePattern pattern, FunctionRuntime function) {
    }

    private LocalApiGateway(HttpServer server, ExecutorService threads, String accountId) {
        this.server = server;
        this.threads = threads;
        this.accountId = accountId;
    }

    /**
     * Listens on {@code host}:{@code port} (0 picks a free one) and answers 404 until {@link #route} gives it the
     * routes: the functions' environments name its URL, so it is known before they are made.
     */
    public static LocalApiGateway start(String host, int port, String accountId) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        // A thread per request, so a slow route never holds up another route's quick answer.
        AtomicInteger numbers = new AtomicInteger();
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "api-" + numbers.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        LocalApiGateway gateway = new LocalApiGateway(server, threads, accountId);
        server.createContext("/", gateway::handle);
        server.start();
        return gateway;
    }

    public void route(List<Route> routes) {
        List<Binding> bound = new ArrayList<>();
        routes.forEach(r -> bound.add(new Binding(new RoutePattern(r.route()), r.function())));
        // Literal paths win over paths with parameters, as in API Gateway.
        bound.sort(Comparator.comparing((Binding b) -> !b.pattern().literal()));
        bindings = List.copyOf(bound);
        routes.forEach(r -> LOG.info("{} {} -> {}", url(), r.route().routeKey(), r.function().name()));
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            URI uri = exchange.getRequestURI();
            String method = exchange.getRequestMethod();
            String path = uri.getRawPath();
            ApiResponse response = ApiResponse.notFound();
            for (Binding binding : bindings) {
                Optional<Map<String, String>> parameters = binding.pattern().match(method, path);
                if (parameters.isPresent()) {
                    response = invoke(binding, exchange, body, parameters.get());
                    break;
                }
            }
            send(exchange, response);
        }
    }

    private ApiResponse invoke(Binding binding, HttpExchange exchange, byte[] body, Map<String, String> parameters) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> values.forEach(v -> headers.add(Map.entry(name, v))));
        ApiEvents.Request request = new ApiEvents.Request(exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(), headers, body,
                exchange.getProtocol(), exchange.getRemoteAddress().getAddress().getHostAddress());
        String event = ApiEvents.event(request, binding.pattern().route().routeKey(), parameters, accountId, "local")
                .toString();
        InvocationResult result = binding.function().execute(event);
        if (result.failed()) {
            LOG.warn("{} {}: {} failed: {}", request.method(), request.rawPath(), binding.function().name(),
                    result.error().errorType());
            return ApiResponse.internalServerError();
        }
        return ApiResponse.fromFunction(result.payload());
    }

    private static void send(HttpExchange exchange, ApiResponse response) throws IOException {
        response.headers().forEach(h -> exchange.getResponseHeaders().add(h.getKey(), h.getValue()));
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
