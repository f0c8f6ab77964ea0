package imagine.local.replicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;

/** A plain HTTP client of the local API, the way the bot talks to Replicate. */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private final String token;

    Api(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    record Answer(int status, JsonNode body, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    Answer post(String path, String json, String prefer) throws IOException, InterruptedException {
        return answer(http.send(postRequest(path, json, prefer), HttpResponse.BodyHandlers.ofString()));
    }

    CompletableFuture<Answer> postAsync(String path, String json, String prefer) {
        return http.sendAsync(postRequest(path, json, prefer), HttpResponse.BodyHandlers.ofString()).thenApply(Api::answer);
    }

    Answer get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token)
            .GET().build();
        return answer(http.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    byte[] download(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " for " + url);
        }
        return response.body();
    }

    BufferedImage image(String url) throws IOException, InterruptedException {
        return ImageIO.read(new ByteArrayInputStream(download(url)));
    }

    private HttpRequest postRequest(String path, String json, String prefer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        return request.build();
    }

    private static Answer answer(HttpResponse<String> response) {
        try {
            JsonNode body = response.body().isEmpty() ? null : JSON.readTree(response.body());
            return new Answer(response.statusCode(), body, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String create(String prompt, String aspectRatio) {
        var input = JSON.createObjectNode().put("prompt", prompt);
        if (aspectRatio != null) {
            input.put("aspect_ratio", aspectRatio);
        }
        return JSON.createObjectNode().set("input", input).toString();
    }
}
