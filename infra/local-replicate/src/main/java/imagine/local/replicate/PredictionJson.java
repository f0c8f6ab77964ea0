package imagine.local.replicate;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A prediction as Replicate's API shows it. */
final class PredictionJson {
    private PredictionJson() {
    }

    static Map<String, Object> of(Prediction p, URI baseUrl) {
        return of(p, baseUrl, baseUrl);
    }

    /** With this server's URLs ({@code baseUrl}), output files included, named the way the client reached it. */
    static Map<String, Object> of(Prediction p, URI baseUrl, URI calledAs) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", p.id());
        json.put("model", p.model());
        json.put("version", p.version());
        json.put("input", p.input());
        json.put("logs", p.logs());
        json.put("output", relocated(p.output(), baseUrl.toString(), calledAs.toString()));
        json.put("data_removed", false);
        json.put("error", p.error());
        json.put("status", p.status().json());
        json.put("created_at", p.createdAt().toString());
        json.put("started_at", p.startedAt() == null ? null : p.startedAt().toString());
        json.put("completed_at", p.completedAt() == null ? null : p.completedAt().toString());
        String get = calledAs.resolve("/v1/predictions/" + p.id()).toString();
        json.put("urls", Map.of("get", get, "cancel", get + "/cancel",
            "web", calledAs.resolve("/p/" + p.id()).toString()));
        if (p.webhook() != null) {
            json.put("webhook", p.webhook());
            json.put("webhook_events_filter", p.webhookEventsFilter());
        }
        if (p.predictTime() != null) {
            json.put("metrics", Map.of("predict_time", p.predictTime()));
        }
        return json;
    }

    private static Object relocated(Object output, String ownPrefix, String shownPrefix) {
        if (output instanceof String url && url.startsWith(ownPrefix)) {
            return shownPrefix + url.substring(ownPrefix.length());
        }
        if (output instanceof List<?> items) {
            return items.stream().map(item -> relocated(item, ownPrefix, shownPrefix)).toList();
        }
        return output;
    }
}
