package imagine.local.replicate;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;

/** The body of a create-prediction request. */
record CreateRequest(String version, Map<String, Object> input, String webhook, List<String> webhookEventsFilter) {
    static final List<String> ALL_EVENTS = List.of("start", "output", "logs", "completed");

    @SuppressWarnings("unchecked")
    static CreateRequest parse(Map<String, Object> body) {
        Object input = body.get("input");
        if (!(input instanceof Map<?, ?>)) {
            String given = input == null ? "null" : input.getClass().getSimpleName().toLowerCase();
            throw new ApiException(Problem.invalidInput(List.of(new Problem.InvalidField("invalid_type", "input",
                "Invalid type. Expected: object, given: " + given))));
        }
        Object filter = body.get("webhook_events_filter");
        List<String> events = filter instanceof List<?> list && !list.isEmpty()
            ? list.stream().map(String::valueOf).toList()
            : ALL_EVENTS;
        String webhook = text(body.get("webhook"));
        if (webhook != null && !isHttpUrl(webhook)) {
            throw new ApiException(Problem.invalidInput(List.of(
                new Problem.InvalidField("format", "webhook", "Enter a valid URL."))));
        }
        return new CreateRequest(text(body.get("version")), (Map<String, Object>) input, webhook, events);
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String text(Object value) {
        return value instanceof String s && !s.isBlank() ? s : null;
    }
}
