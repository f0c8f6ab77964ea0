package imagine.local.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** A minimal Bot API client over real HTTP, as a bot would use it. */
final class BotClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    record Answer(int status, JsonNode body) {
        JsonNode result() {
            return body.get("result");
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private final String token;

    BotClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    Answer call(String method, Map<String, ?> parameters) {
        try {
            return send(HttpRequest.newBuilder(uri(method)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(parameters))).build());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A file part of a multipart/form-data call. */
    record FilePart(String name, String fileName, byte[] bytes) {
    }

    /** A multipart/form-data call: text fields plus one file part. */
    Answer upload(String method, Map<String, String> fields, String filePart, String fileName, byte[] file) {
        return upload(method, fields, List.of(new FilePart(filePart, fileName, file)));
    }

    /** A multipart/form-data call: text fields plus file parts, such as the attachments of an album. */
    Answer upload(String method, Map<String, String> fields, List<FilePart> files) {
        String boundary = "----local-telegram-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        fields.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        for (FilePart file : files) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + file.name()
                    + "\"; filename=\"" + file.fileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(file.bytes());
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(uri(method)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    byte[] download(String filePath) {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve("/file/bot" + token + "/" + filePath)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String method) {
        return base.resolve("/bot" + token + "/" + method);
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), MAPPER.readTree(response.body()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
