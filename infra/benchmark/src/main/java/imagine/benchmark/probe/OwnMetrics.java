package imagine.benchmark.probe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import imagine.core.telemetry.Log;
import imagine.core.telemetry.Metrics;
import java.util.Map;

/** The log line, and a succeeded prediction's metrics written as EMF lines by the bot's own code. */
public final class OwnMetrics implements RequestHandler<Map<String, Object>, String> {
    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        new LogLine().handleRequest(event, context);
        Metrics.event().dimension("Model", "ideogram").count("PredictionsSucceeded")
                .value("EstimatedCostUsd", 0.03).milliseconds("PredictionLatency", 5200).emit();
        return "ok";
    }
}
