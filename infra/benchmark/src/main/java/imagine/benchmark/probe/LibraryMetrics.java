package imagine.benchmark.probe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/** The log line, and the same metrics through AWS's aws-embedded-metrics library. */
public final class LibraryMetrics implements RequestHandler<Map<String, Object>, String> {
    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        new LogLine().handleRequest(event, context);
        MetricsLogger metrics = new MetricsLogger();
        try {
            metrics.setNamespace("Imagine/benchmark");
            metrics.putDimensions(DimensionSet.of("Model", "ideogram"));
            metrics.putMetric("PredictionsSucceeded", 1, Unit.COUNT);
            metrics.putMetric("EstimatedCostUsd", 0.03, Unit.NONE);
            metrics.putMetric("PredictionLatency", 5200, Unit.MILLISECONDS);
        } catch (Exception invalid) {
            throw new IllegalStateException(invalid);
        }
        metrics.flush();
        return "ok";
    }
}
