package imagine.local.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where custom resources answer CloudFormation: on AWS their event's ResponseURL is a pre-signed S3 URL, locally it
 * points here. Each answer is kept and logged without its Data, which may hold a secret; {@code GET /} lists them.
 */
public final class CloudFormationResponses implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CloudFormationResponses.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer as CloudFormation would record it, less its Data. */
    public record Answer(String logicalResourceId, String requestId, String status, String reason,
                         String physicalResourceId) {
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final List<Answer> answers = new CopyOnWriteArrayList<>();

    private CloudFormationResponses(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** {@code port} 0 picks a free one. */
    public static CloudFormationResponses start(String host, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        ExecutorService threads = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cloudformation-responses");
            thread.setDaemon(true);
            return thread;
        });
        CloudFormationResponses responses = new CloudFormationResponses(server, threads);
        server.createContext("/", responses::handle);
        server.setExecutor(threads);
        server.start();
        return responses;
    }

    /** A ResponseURL for a custom resource event. */
    public URI responseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/cloudformation-response");
    }

    public List<Answer> answers() {
        return List.copyOf(answers);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestMethod().equals("GET")) {
                reply(exchange, 200, JSON.writeValueAsBytes(answers));
                return;
            }
            if (!exchange.getRequestMethod().equals("PUT")) {
                reply(exchange, 405, new byte[0]);
                return;
            }
            JsonNode answer;
            try {
                answer = JSON.readTree(body);
            } catch (IOException e) {
                reply(exchange, 400, new byte[0]);
                return;
            }
            Answer kept = new Answer(answer.path("LogicalResourceId").asText(), answer.path("RequestId").asText(),
                    answer.path("Status").asText(), answer.path("Reason").asText(),
                    answer.path("PhysicalResourceId").asText());
            answers.add(kept);
            LOG.info("CloudFormation answer for {}: {} ({})", kept.logicalResourceId(), kept.status(), kept.reason());
            reply(exchange, 200, new byte[0]);
        }
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
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
