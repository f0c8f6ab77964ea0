package imagine.local.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import imagine.core.Json;
import imagine.local.lambda.FunctionLogs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The operations page of the local platform ({@code /ops}, beside the chat page): what {@code infra/imagine status}
 * prints (the queues, predictions in flight, today's counts and spend, Telegram's view of the webhook), and what
 * CloudWatch would show from the functions' metrics (per model: predictions and their outcomes, latency, delivery time,
 * cost; the webhook's updates, jobs and refusals), with the latest warnings and errors. {@code /ops/data} is the same
 * as JSON, which the page reads every second.
 */
public final class OpsPage implements HttpHandler {
    private final Callable<Health> health;
    private final FunctionLogs logs;

    /** @param health reads the bot's health as it is now */
    public OpsPage(Callable<Health> health, FunctionLogs logs) {
        this.health = health;
        this.logs = logs;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/ops") || path.equals("/ops/")) {
                try (InputStream page = OpsPage.class.getResourceAsStream("/ops/index.html")) {
                    send(exchange, 200, "text/html; charset=utf-8", page.readAllBytes());
                }
            } else if (path.equals("/ops/data")) {
                send(exchange, 200, "application/json", Json.MAPPER.writeValueAsBytes(data()));
            } else {
                send(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    ObjectNode data() throws IOException {
        ObjectNode data = Json.MAPPER.createObjectNode();
        try {
            data.set("health", Json.MAPPER.valueToTree(health.call()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (Exception e) {
            data.put("health_error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        LocalMetrics metrics = logs.metrics();
        ArrayNode models = data.putArray("models");
        for (String model : metrics.dimensionValues("Model")) {
            Map<String, String> dimension = Map.of("Model", model);
            models.addObject().put("model", model)
                    .put("created", (long) metrics.sum("PredictionsCreated", dimension))
                    .put("succeeded", (long) metrics.sum("PredictionsSucceeded", dimension))
                    .put("refused", (long) metrics.sum("PredictionsRefused", dimension))
                    .put("failed", (long) metrics.sum("PredictionsFailed", dimension))
                    .put("latency_p50_ms", (long) metrics.percentile("PredictionLatency", dimension, 50))
                    .put("latency_p90_ms", (long) metrics.percentile("PredictionLatency", dimension, 90))
                    .put("delivery_p50_ms", (long) metrics.percentile("DeliveryTime", dimension, 50))
                    .put("cost_usd", metrics.sum("EstimatedCostUsd", dimension));
        }
        ObjectNode webhook = data.putObject("webhook");
        webhook.put("updates", (long) metrics.sum("Updates", Map.of()))
                .put("jobs", (long) metrics.sum("JobsEnqueued", Map.of()))
                .put("dead_letters", (long) metrics.sum("DeadLetters", Map.of()));
        ObjectNode refusals = webhook.putObject("refusals");
        for (String reason : metrics.dimensionValues("Reason")) {
            refusals.put(reason, (long) metrics.sum("Refusals", Map.of("Reason", reason)));
        }
        ArrayNode problems = data.putArray("errors");
        for (RecentProblems.Problem problem : logs.problems().latest()) {
            problems.addObject().put("at", problem.at().toString()).put("function", problem.function())
                    .put("level", problem.level()).put("message", problem.message())
                    .set("fields", problem.fields());
        }
        return data;
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
