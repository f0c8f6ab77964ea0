package imagine.local.api;

import imagine.local.template.HttpRoute;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Matches request paths against a route's path: literal segments, {name} and a final greedy {name+}. */
record RoutePattern(HttpRoute route) {

    /** The path parameters when {@code method} and {@code path} match. */
    Optional<Map<String, String>> match(String method, String path) {
        if (!route.method().equals("ANY") && !route.method().equalsIgnoreCase(method)) {
            return Optional.empty();
        }
        String[] pattern = segments(route.path());
        String[] actual = segments(path);
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            boolean variable = p.startsWith("{") && p.endsWith("}");
            if (variable && p.endsWith("+}")) {
                if (i >= actual.length) {
                    return Optional.empty();
                }
                parameters.put(p.substring(1, p.length() - 2), String.join("/", Arrays.copyOfRange(
                        actual, i, actual.length)));
                return Optional.of(parameters);
            }
            if (i >= actual.length) {
                return Optional.empty();
            }
            if (variable) {
                parameters.put(p.substring(1, p.length() - 1), actual[i]);
            } else if (!p.equals(actual[i])) {
                return Optional.empty();
            }
        }
        return pattern.length == actual.length ? Optional.of(parameters) : Optional.empty();
    }

    boolean literal() {
        return !route.path().contains("{");
    }

    private static String[] segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }
}
