package imagine.local.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /bot<token>/<method>} and {@code /file/bot<token>/<file_path>}. */
final class BotApiEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(BotApiEndpoint.class);

    private final String token;
    private final BotApi api;
    private final FileStore files;
    private final Set<String> lostAnswers = ConcurrentHashMap.newKeySet();

    BotApiEndpoint(String token, BotApi api, FileStore files) {
        this.token = token;
        this.api = api;
        this.files = files;
    }

    /** @param rest the path after "/bot" */
    void method(HttpExchange exchange, String rest) throws IOException {
        int slash = rest.indexOf('/');
        String method = slash < 0 ? "" : rest.substring(slash + 1);
        if (slash < 0 || !rest.substring(0, slash).equals(token)) {
            answer(exchange, method, new ApiException(401, "Unauthorized", null).toJson(), 401);
            return;
        }
        try {
            JsonNode result = api.execute(method, RequestParser.parse(exchange));
            if (lostAnswers.remove(method)) {
                exchange.close();
                return;
            }
            ObjectNode body = Json.object();
            body.put("ok", true);
            body.set("result", result);
            answer(exchange, method, body, 200);
        } catch (ApiException e) {
            answer(exchange, method, e.toJson(), e.errorCode());
        }
    }

    /** The next call of this method is carried out, but the caller never hears back: the connection just closes. */
    void loseNextAnswer(String method) {
        lostAnswers.add(method);
    }

    private static void answer(HttpExchange exchange, String method, JsonNode body, int status) throws IOException {
        LOG.debug("{} /bot<redacted>/{} -> {}", exchange.getRequestMethod(), method, status);
        HttpResponses.json(exchange, status, body);
    }

    /** @param rest the path after "/file/bot" */
    void file(HttpExchange exchange, String rest) throws IOException {
        int slash = rest.indexOf('/');
        if (slash < 0 || !rest.substring(0, slash).equals(token)) {
            HttpResponses.json(exchange, 401, new ApiException(401, "Unauthorized", null).toJson());
            return;
        }
        StoredFile file = files.byPath(rest.substring(slash + 1)).orElse(null);
        if (file == null) {
            HttpResponses.json(exchange, 404, new ApiException(404, "Not Found", null).toJson());
            return;
        }
        HttpResponses.bytes(exchange, 200, "application/octet-stream", files.bytes(file));
    }
}
