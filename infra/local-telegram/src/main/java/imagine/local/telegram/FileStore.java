package imagine.local.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Files sent to or by the bot. With a data directory the bytes and an index are written to disk
 * and read back on start, so file ids stay valid across restarts.
 */
final class FileStore {
    private static final String INDEX = "index.jsonl";

    private final Path directory;
    private final Map<String, StoredFile> byId = new HashMap<>();
    private final Map<String, StoredFile> byPath = new HashMap<>();
    private final Map<String, byte[]> contents = new HashMap<>();
    private int counter;

    FileStore(Path dataDirectory) {
        this.directory = dataDirectory == null ? null : dataDirectory.resolve("files");
        if (directory != null) {
            load();
        }
    }

    synchronized StoredFile put(byte[] bytes, String folder, String extension) {
        counter++;
        String uniqueId = uniqueId(bytes);
        String fileId = "LOCAL" + folder.substring(0, 2).toUpperCase() + counter + "_" + uniqueId;
        StoredFile file = new StoredFile(fileId, uniqueId, folder + "/file_" + counter + "." + extension, bytes.length);
        byId.put(file.fileId(), file);
        byPath.put(file.filePath(), file);
        contents.put(file.fileId(), bytes);
        if (directory != null) {
            persist(file, bytes);
        }
        return file;
    }

    synchronized Optional<StoredFile> byId(String fileId) {
        return Optional.ofNullable(byId.get(fileId));
    }

    synchronized Optional<StoredFile> byPath(String filePath) {
        return Optional.ofNullable(byPath.get(filePath));
    }

    synchronized byte[] bytes(StoredFile file) {
        return contents.get(file.fileId());
    }

    private static String uniqueId(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "AQAD" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void persist(StoredFile file, byte[] bytes) {
        try {
            Path target = directory.resolve(file.filePath());
            Files.createDirectories(target.getParent());
            Files.write(target, bytes);
            ObjectNode line = Json.object();
            line.put("file_id", file.fileId());
            line.put("file_unique_id", file.fileUniqueId());
            line.put("file_path", file.filePath());
            line.put("file_size", file.fileSize());
            Files.writeString(directory.resolve(INDEX), line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void load() {
        Path index = directory.resolve(INDEX);
        JsonLines.endLastLine(index);
        try {
            for (JsonNode node : JsonLines.read(index)) {
                StoredFile file = new StoredFile(node.get("file_id").asText(), node.get("file_unique_id").asText(),
                        node.get("file_path").asText(), node.get("file_size").asLong());
                Path content = directory.resolve(file.filePath());
                if (Files.exists(content)) {
                    byId.put(file.fileId(), file);
                    byPath.put(file.filePath(), file);
                    contents.put(file.fileId(), Files.readAllBytes(content));
                }
                counter++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
