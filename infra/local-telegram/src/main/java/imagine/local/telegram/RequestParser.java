package imagine.local.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Reads Bot API parameters from the query string and a JSON, form or multipart body. */
final class RequestParser {
    private RequestParser() {
    }

    static Params parse(HttpExchange exchange) throws IOException {
        ObjectNode fields = Json.object();
        Map<String, Upload> files = new HashMap<>();
        decodeForm(exchange.getRequestURI().getRawQuery(), fields);
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (body.length > 0) {
            if (type.startsWith("application/json")) {
                JsonNode json = parseJson(body);
                if (json.isObject()) {
                    fields.setAll((ObjectNode) json);
                }
            } else if (type.startsWith("multipart/form-data")) {
                Multipart.parse(body, boundary(contentType), fields, files);
            } else {
                decodeForm(new String(body, StandardCharsets.UTF_8), fields);
            }
        }
        return new Params(fields, files);
    }

    private static JsonNode parseJson(byte[] body) {
        try {
            return Json.parse(body);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("can't parse JSON request body");
        }
    }

    static void decodeForm(String form, ObjectNode fields) {
        if (form == null || form.isEmpty()) {
            return;
        }
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            fields.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
    }

    private static String boundary(String contentType) {
        for (String part : contentType.split(";")) {
            String trimmed = part.trim();
            if (trimmed.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String value = trimmed.substring("boundary=".length());
                return value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
            }
        }
        throw ApiException.badRequest("multipart boundary is missing");
    }
}
