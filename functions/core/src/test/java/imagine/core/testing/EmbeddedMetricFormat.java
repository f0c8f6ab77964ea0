package imagine.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * CloudWatch's Embedded Metric Format specification, as a check of one log event: a JSON object alone on its line,
 * with {@code _aws} holding a numeric {@code Timestamp} (milliseconds since the epoch) and {@code CloudWatchMetrics}
 * directives, each with a {@code Namespace}, {@code Dimensions} (sets of at most 30 names of root members whose values
 * are strings) and {@code Metrics} (at most 100 definitions: a {@code Name} of a root member whose value is a number or
 * an array of at most 100 numbers, a {@code Unit} CloudWatch knows, a {@code StorageResolution} of 1 or 60). Returns
 * what is wrong, nothing when the event is valid.
 */
public final class EmbeddedMetricFormat {
    private static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
            "None");
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._#:/ -]{1,255}");

    private EmbeddedMetricFormat() {
    }

    public static List<String> problems(JsonNode event) {
        List<String> problems = new ArrayList<>();
        if (!event.isObject()) {
            return List.of("the event is not a JSON object");
        }
        JsonNode metadata = event.get("_aws");
        if (metadata == null || !metadata.isObject()) {
            return List.of("no _aws metadata object");
        }
        if (!metadata.path("Timestamp").isIntegralNumber() || metadata.get("Timestamp").asLong() < 1_000_000_000_000L) {
            problems.add("_aws.Timestamp is not a time in milliseconds since the epoch");
        }
        JsonNode directives = metadata.get("CloudWatchMetrics");
        if (directives == null || !directives.isArray()) {
            problems.add("_aws.CloudWatchMetrics is not an array");
            return problems;
        }
        for (JsonNode directive : directives) {
            if (!directive.path("Namespace").isTextual() || !NAMESPACE.matcher(directive.get("Namespace").asText()).matches()) {
                problems.add("a directive's Namespace is missing or not a CloudWatch namespace");
            }
            JsonNode dimensions = directive.get("Dimensions");
            if (dimensions == null || !dimensions.isArray()) {
                problems.add("a directive has no Dimensions array");
            } else {
                for (JsonNode set : dimensions) {
                    if (!set.isArray() || set.size() > 30) {
                        problems.add("a dimension set is not an array of at most 30 names");
                        continue;
                    }
                    for (JsonNode name : set) {
                        JsonNode value = event.get(name.asText());
                        if (!name.isTextual() || value == null || !value.isTextual() || value.asText().isEmpty()
                                || value.asText().length() > 1024) {
                            problems.add("dimension " + name + " is not a root member with a string value");
                        }
                    }
                }
            }
            JsonNode metrics = directive.get("Metrics");
            if (metrics == null || !metrics.isArray() || metrics.size() > 100) {
                problems.add("a directive has no Metrics array of at most 100 definitions");
                continue;
            }
            Set<String> names = new HashSet<>();
            for (JsonNode metric : metrics) {
                String name = metric.path("Name").asText("");
                if (name.isEmpty() || name.length() > 1024 || !names.add(name)) {
                    problems.add("a metric has no name, a name too long, or one given twice");
                    continue;
                }
                JsonNode value = event.get(name);
                boolean numbers = value != null && (value.isNumber()
                        || value.isArray() && value.size() <= 100 && allNumbers(value));
                if (!numbers) {
                    problems.add("metric " + name + " is not a root member with a number or an array of numbers");
                }
                if (metric.has("Unit") && !UNITS.contains(metric.get("Unit").asText())) {
                    problems.add("metric " + name + " has the unit " + metric.get("Unit") + ", which CloudWatch has not");
                }
                if (metric.has("StorageResolution") && metric.get("StorageResolution").asInt() != 1
                        && metric.get("StorageResolution").asInt() != 60) {
                    problems.add("metric " + name + " has a storage resolution other than 1 or 60");
                }
            }
        }
        return problems;
    }

    private static boolean allNumbers(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isNumber()) {
                return false;
            }
        }
        return true;
    }
}
