package imagine.local.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pass-through in front of the local SQS, through which the functions reach it, that fails SendMessageBatch
 * on cue: wholly (HTTP 500 InternalError) or for every entry but the first (SQS's partial failure, not the
 * sender's fault). Everything else, and every call without a cue, goes through unchanged.
 */
public final class SqsFaults implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEND_BATCH = "AmazonSQS.SendMessageBatch";
    /** Headers java.net.http sets itself. */
    private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect", "upgrade");

    private final HttpServer server;
    private final ExecutorService threads;
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI target;
    private final AtomicInteger wholeFailures = new AtomicInteger();
    private final AtomicInteger partialFailures = new AtomicInteger();

    private SqsFaults(HttpServer server, ExecutorService threads, URI target) {
        this.server = server;
        this.threads = threads;
        this.target = target;
    }

    /** Listens on {@code host}:{@code port} (0: any free port) and forwards to the SQS at {@code target}. */
    public static SqsFaults start(String host, int port, URI target) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "sqs-faults");
            thread.setDaemon(true);
            return thread;
        });
        SqsFaults faults = new SqsFaults(server, threads, target);
        server.createContext("/", faults::handle);
        server.setExecutor(threads);
        server.start();
        return faults;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next {@code calls} SendMessageBatch calls answer 500 (the SDK retries each call a few times itself). */
    public void failNextBatches(int calls) {
        wholeFailures.set(calls);
    }

    /** In the next {@code calls} SendMessageBatch calls, every entry but the first is refused. */
    public void refuseEntriesOfNextBatches(int calls) {
        partialFailures.set(calls);
    }

    /** Whether every cued failure has happened. */
    public boolean allHappened() {
        return wholeFailures.get() == 0 && partialFailures.get() == 0;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            boolean batch = SEND_BATCH.equals(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            if (batch && take(wholeFailures)) {
                answer(exchange, 500, "application/x-amz-json-1.0",
                        "{\"__type\":\"com.amazonaws.sqs#InternalError\",\"message\":\"cued failure\"}"
                                .getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (batch && take(partialFailures)) {
                refuseAllButFirst(exchange, body);
                return;
            }
            HttpResponse<byte[]> response = forward(exchange, body);
            answer(exchange, response.statusCode(), response.headers().firstValue("Content-Type")
                    .orElse("application/x-amz-json-1.0"), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(503, -1);
        }
    }

    private void refuseAllButFirst(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        ObjectNode request = (ObjectNode) JSON.readTree(body);
        List<JsonNode> entries = JSON.convertValue(request.get("Entries"),
                JSON.getTypeFactory().constructCollectionType(List.class, JsonNode.class));
        request.putArray("Entries").add(entries.get(0));
        HttpResponse<byte[]> response = forward(exchange, JSON.writeValueAsBytes(request));
        ObjectNode answer = (ObjectNode) JSON.readTree(response.body());
        ArrayNode failed = answer.withArray("Failed");
        for (JsonNode refused : entries.subList(1, entries.size())) {
            failed.addObject().put("Id", refused.get("Id").asText()).put("SenderFault", false)
                    .put("Code", "InternalError").put("Message", "cued failure");
        }
        answer(exchange, response.statusCode(), "application/x-amz-json-1.0", JSON.writeValueAsBytes(answer));
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase())) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void answer(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static boolean take(AtomicInteger counter) {
        return counter.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
