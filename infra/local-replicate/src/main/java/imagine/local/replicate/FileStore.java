package imagine.local.replicate;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Output files, kept in memory and served under /files/{prediction id}/{name}. */
final class FileStore {
    record StoredFile(byte[] bytes, String contentType) {
    }

    private final Map<String, StoredFile> files = new ConcurrentHashMap<>();

    void put(String predictionId, String name, byte[] bytes, String contentType) {
        files.put(predictionId + "/" + name, new StoredFile(bytes, contentType));
    }

    Optional<StoredFile> get(String predictionId, String name) {
        return Optional.ofNullable(files.get(predictionId + "/" + name));
    }
}
