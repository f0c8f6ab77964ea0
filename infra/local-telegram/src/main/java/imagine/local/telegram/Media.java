package imagine.local.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns the photo, document, video or animation a bot sends (an upload, a file_id or an HTTP
 * URL) into the Telegram JSON of that media, storing new files.
 */
final class Media {
    private static final long MB = 1024 * 1024;
    private static final long PHOTO_UPLOAD_LIMIT = 10 * MB;
    private static final long PHOTO_URL_LIMIT = 5 * MB;
    private static final long FILE_UPLOAD_LIMIT = 50 * MB;
    private static final long FILE_URL_LIMIT = 20 * MB;
    private static final int[] THUMBNAIL_LIMITS = {90, 320, 800};

    private final FileStore files;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    /** The media JSON already made for a file id, so sending a file_id again repeats it. */
    private final Map<String, JsonNode> known = new HashMap<>();

    Media(FileStore files) {
        this.files = files;
    }

    /** The JSON of the media for a message field (photo is an array of sizes). */
    JsonNode resolve(String kind, String reference, Upload upload, Params params) {
        if (upload == null && (reference == null || reference.isEmpty())) {
            throw ApiException.badRequest("there is no " + kind + " in the request");
        }
        if (upload == null) {
            JsonNode existing = known(kind, reference);
            if (existing != null) {
                return existing;
            }
            if (!reference.startsWith("http://") && !reference.startsWith("https://")) {
                throw ApiException.badRequest("wrong file identifier/HTTP URL specified");
            }
        }
        boolean fromUrl = upload == null;
        byte[] bytes = fromUrl ? download(reference) : upload.bytes();
        long limit = kind.equals("photo") ? (fromUrl ? PHOTO_URL_LIMIT : PHOTO_UPLOAD_LIMIT)
                : (fromUrl ? FILE_URL_LIMIT : FILE_UPLOAD_LIMIT);
        if (bytes.length > limit) {
            if (fromUrl) {
                throw ApiException.badRequest("failed to get HTTP URL content");
            }
            throw new ApiException(413, "Request Entity Too Large", null);
        }
        String fileName = fromUrl ? fileName(reference) : upload.fileName();
        String mimeType = fromUrl ? null : upload.contentType();
        return kind.equals("photo") ? photo(bytes) : file(kind, bytes, fileName, mimeType, params);
    }

    private synchronized JsonNode known(String kind, String fileId) {
        JsonNode media = known.get(fileId);
        if (media != null) {
            return media;
        }
        // a file stored before a restart: its message JSON is gone, so describe it again from its bytes
        StoredFile file = files.byId(fileId).orElse(null);
        if (file == null) {
            return null;
        }
        if (!kind.equals("photo")) {
            return fileJson(file);
        }
        Images.Size size = Images.size(files.bytes(file));
        ArrayNode sizes = Json.array();
        sizes.add(size == null ? fileJson(file) : photoSize(file, size));
        return sizes;
    }

    private synchronized void remember(JsonNode media) {
        if (media.isArray()) {
            media.forEach(size -> known.put(size.get("file_id").asText(), media));
        } else {
            known.put(media.get("file_id").asText(), media);
        }
    }

    ArrayNode photo(byte[] bytes) {
        Images.Size size = Images.size(bytes);
        if (size == null) {
            throw ApiException.badRequest("IMAGE_PROCESS_FAILED");
        }
        int longer = Math.max(size.width(), size.height());
        int shorter = Math.max(1, Math.min(size.width(), size.height()));
        if (size.width() + size.height() > 10_000 || (double) longer / shorter > 20) {
            throw ApiException.badRequest("PHOTO_INVALID_DIMENSIONS");
        }
        ArrayNode sizes = Json.array();
        for (int limit : THUMBNAIL_LIMITS) {
            if (longer > limit) {
                byte[] thumbnail = Images.thumbnail(bytes, limit);
                Images.Size thumbnailSize = Images.size(thumbnail);
                sizes.add(photoSize(files.put(thumbnail, "photos", "jpg"), thumbnailSize));
            }
        }
        sizes.add(photoSize(files.put(bytes, "photos", Images.extension(bytes)), size));
        remember(sizes);
        return sizes;
    }

    private static ObjectNode photoSize(StoredFile file, Images.Size size) {
        ObjectNode json = fileJson(file);
        json.put("width", size.width());
        json.put("height", size.height());
        return json;
    }

    private JsonNode file(String kind, byte[] bytes, String fileName, String mimeType, Params params) {
        String extension = fileName != null && fileName.contains(".")
                ? fileName.substring(fileName.lastIndexOf('.') + 1) : "bin";
        ObjectNode json = fileJson(files.put(bytes, kind + "s", extension));
        if (!kind.equals("document")) {
            Images.Size size = Images.size(bytes);
            Integer width = params == null ? null : params.intValue("width");
            Integer height = params == null ? null : params.intValue("height");
            json.put("width", width != null ? width : size == null ? 0 : size.width());
            json.put("height", height != null ? height : size == null ? 0 : size.height());
            Integer duration = params == null ? null : params.intValue("duration");
            json.put("duration", duration == null ? 0 : duration);
        }
        if (fileName != null) {
            json.put("file_name", fileName);
        }
        if (mimeType != null) {
            json.put("mime_type", mimeType);
        }
        remember(json);
        return json;
    }

    private static ObjectNode fileJson(StoredFile file) {
        ObjectNode json = Json.object();
        json.put("file_id", file.fileId());
        json.put("file_unique_id", file.fileUniqueId());
        json.put("file_size", file.fileSize());
        return json;
    }

    private byte[] download(String url) {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 != 2) {
                throw ApiException.badRequest("failed to get HTTP URL content");
            }
            return response.body();
        } catch (IOException | IllegalArgumentException e) {
            throw ApiException.badRequest("failed to get HTTP URL content");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.badRequest("failed to get HTTP URL content");
        }
    }

    private static String fileName(String url) {
        String path = URI.create(url).getPath();
        if (path == null || path.isEmpty() || path.endsWith("/")) {
            return null;
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
