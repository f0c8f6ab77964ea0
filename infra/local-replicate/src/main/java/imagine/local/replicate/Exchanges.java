package imagine.local.replicate;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/** Writing answers on an HttpExchange. */
final class Exchanges {
    private Exchanges() {
    }

    static void json(HttpExchange exchange, int status, Object body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        bytes(exchange, status, Json.bytes(body));
    }

    static void problem(HttpExchange exchange, Problem problem) throws IOException {
        if (problem.retryAfterSeconds() != null) {
            exchange.getResponseHeaders().set("Retry-After", problem.retryAfterSeconds().toString());
        }
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        bytes(exchange, problem.status(), Json.bytes(problem.json()));
    }

    static void bytes(HttpExchange exchange, int status, byte[] body) throws IOException {
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }
}
