package imagine.local.replicate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An error answer in Replicate's problem-details shape. */
record Problem(int status, String title, String detail, List<InvalidField> invalidFields, Integer retryAfterSeconds) {

    record InvalidField(String type, String field, String description) {
    }

    static Problem of(int status, String title, String detail) {
        return new Problem(status, title, detail, List.of(), null);
    }

    static Problem notFound() {
        return of(404, null, "The requested resource could not be found.");
    }

    static Problem unauthenticated() {
        return of(401, "Unauthenticated", "You did not pass a valid authentication token");
    }

    static Problem throttled(int seconds) {
        return new Problem(429, "Request was throttled",
            "Request was throttled. Expected available in " + seconds + (seconds == 1 ? " second." : " seconds."),
            List.of(), seconds);
    }

    static Problem serverError() {
        return of(500, "Internal Server Error", "Something went wrong on our end. Please try again.");
    }

    static Problem invalidInput(List<InvalidField> fields) {
        StringBuilder detail = new StringBuilder();
        fields.forEach(f -> detail.append("- ").append(f.field()).append(": ").append(f.description()).append('\n'));
        return new Problem(422, "Input validation failed", detail.toString(), List.copyOf(fields), null);
    }

    Map<String, Object> json() {
        Map<String, Object> body = new LinkedHashMap<>();
        if (title != null) {
            body.put("title", title);
        }
        body.put("detail", detail);
        body.put("status", status);
        if (!invalidFields.isEmpty()) {
            body.put("invalid_fields", invalidFields.stream().map(f -> Map.of(
                "type", f.type(), "field", f.field(), "description", f.description())).toList());
        }
        return body;
    }
}
