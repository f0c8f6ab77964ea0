package imagine.benchmark;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lambda's Runtime API for one invocation: the first {@code GET next} gets the event, the response or error
 * completes {@link #outcome()}; a second {@code GET next} is held, as Lambda freezes the environment there.
 * JDK's HttpServer speaks HTTP/1.1, which the runtime client's native code needs.
 */
final class RuntimeApi implements AutoCloseable {
    private static final String BASE = "/2018-06-01/runtime/";

    /** @param firstNextNanos System.nanoTime() of the first GET next: the function's init is done */
    record Outcome(boolean ok, String body, long firstNextNanos, long doneNanos) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "runtime-api");
        thread.setDaemon(true);
        return thread;
    });
    private final String event;
    private final AtomicBoolean delivered = new AtomicBoolean();
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private volatile long firstNext;

    RuntimeApi(String event) throws IOException {
        this.event = event;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(BASE, this::handle);
        server.setExecutor(threads);
        server.start();
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    CompletableFuture<Outcome> outcome() {
        return outcome;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring(BASE.length());
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (path.equals("invocation/next")) {
            if (delivered.compareAndSet(false, true)) {
                firstNext = System.nanoTime();
                exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", "bench-request-1");
                exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms",
                        Long.toString(System.currentTimeMillis() + 120_000));
                exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                        "arn:aws:lambda:us-east-1:000000000000:function:benchmark");
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                reply(exchange, 200, event);
            }
            return;
        }
        long now = System.nanoTime();
        if (path.endsWith("/response")) {
            outcome.complete(new Outcome(true, body, firstNext, now));
        } else if (path.endsWith("/error") || path.equals("init/error")) {
            outcome.complete(new Outcome(false, body, firstNext, now));
        }
        reply(exchange, 202, "{}");
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
