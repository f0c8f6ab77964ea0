package imagine.local.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What CloudWatch would extract from the functions' Embedded Metric Format lines, kept in memory since the platform
 * started: every value of every metric, under each of its dimension sets, as CloudWatch publishes them.
 */
public final class LocalMetrics {
    /** One metric under one set of dimension values, e.g. PredictionLatency with Model=ideogram. */
    public record Key(String name, Map<String, String> dimensions) {
    }

    private final Map<Key, List<Double>> values = new java.util.HashMap<>();

    /** Takes one EMF document: its metrics and their values, under every dimension set of its directives. */
    public synchronized void accept(JsonNode document) {
        for (JsonNode directive : document.path("_aws").path("CloudWatchMetrics")) {
            for (JsonNode set : directive.path("Dimensions")) {
                Map<String, String> dimensions = new TreeMap<>();
                set.forEach(name -> dimensions.put(name.asText(), document.path(name.asText()).asText()));
                for (JsonNode metric : directive.path("Metrics")) {
                    String name = metric.path("Name").asText();
                    List<Double> list = values.computeIfAbsent(new Key(name, dimensions), key -> new ArrayList<>());
                    JsonNode value = document.path(name);
                    if (value.isArray()) {
                        Iterator<JsonNode> each = value.elements();
                        each.forEachRemaining(v -> list.add(v.asDouble()));
                    } else {
                        list.add(value.asDouble());
                    }
                }
            }
        }
    }

    public synchronized double sum(String name, Map<String, String> dimensions) {
        return values.getOrDefault(new Key(name, dimensions), List.of()).stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The {@code p}-th percentile (0-100) of the metric's values, or -1 when it has none. */
    public synchronized double percentile(String name, Map<String, String> dimensions, double p) {
        List<Double> sorted = new ArrayList<>(values.getOrDefault(new Key(name, dimensions), List.of()));
        if (sorted.isEmpty()) {
            return -1;
        }
        sorted.sort(Double::compare);
        int index = (int) Math.ceil(p / 100 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** The values a dimension takes among the metric's keys (the models that made predictions). */
    public synchronized List<String> dimensionValues(String dimension) {
        return values.keySet().stream().map(key -> key.dimensions().get(dimension)).filter(java.util.Objects::nonNull)
                .distinct().sorted().toList();
    }
}
