package imagine.local.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** A bot's webhook endpoint for tests: records each delivery and answers with what the responder says. */
final class TestWebhook implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What the webhook answers: a status and a body (may be empty). */
    record Reply(int status, String body) {
        static Reply ok(String body) {
            return new Reply(200, body);
        }
    }

    record Delivery(JsonNode update, String secretHeader, String contentType, int answeredStatus) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Delivery> deliveries = new ArrayList<>();

    TestWebhook(Function<JsonNode, Reply> responder) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/hook", exchange -> {
            JsonNode update = MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            Reply reply;
            // answering and recording as one step keeps the recorded order the order of the answers
            synchronized (deliveries) {
                reply = responder.apply(update);
                deliveries.add(new Delivery(update, exchange.getRequestHeaders().getFirst("X-Telegram-Bot-Api-Secret-Token"),
                        exchange.getRequestHeaders().getFirst("Content-Type"), reply.status()));
            }
            byte[] body = reply.body() == null ? new byte[0] : reply.body().getBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    List<Delivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
