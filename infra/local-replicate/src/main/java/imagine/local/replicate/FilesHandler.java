package imagine.local.replicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;

/** Serves output files: GET /files/{prediction id}/{name}. */
final class FilesHandler implements HttpHandler {
    private final FileStore files;

    FilesHandler(FileStore files) {
        this.files = files;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String[] parts = exchange.getRequestURI().getPath().split("/");
        boolean readable = exchange.getRequestMethod().equals("GET") || exchange.getRequestMethod().equals("HEAD");
        if (!readable || parts.length != 4) {
            Exchanges.problem(exchange, Problem.notFound());
            return;
        }
        var file = files.get(parts[2], parts[3]);
        if (file.isEmpty()) {
            Exchanges.problem(exchange, Problem.notFound());
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", file.get().contentType());
        Exchanges.bytes(exchange, 200, file.get().bytes());
    }
}
