package imagine.local.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only JSON-lines file of state changes in the data directory, replayed at start.
 * Appending one line per change keeps the Bot API fast; at start the file is rewritten as a
 * snapshot of the replayed state, so it does not grow across restarts and a line cut short by a
 * crash is gone before anything is appended after it. Without a data directory nothing is written.
 */
final class Journal implements AutoCloseable {
    static final String FILE_NAME = "journal.jsonl";

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    private static final ObjectWriter WRITER = Json.MAPPER.writerFor(JournalEntry.class);

    private final Path file;
    private Writer out;

    /** @param dataDirectory null to keep state in memory only */
    Journal(Path dataDirectory) {
        this.file = dataDirectory == null ? null : dataDirectory.resolve(FILE_NAME);
    }

    /** Replays the journal into the parts, rewrites it as their snapshot and opens it for appending. */
    void restore(List<Journaled> parts) {
        if (file == null) {
            return;
        }
        for (JsonNode node : JsonLines.read(file)) {
            replay(node, parts);
        }
        try {
            Files.createDirectories(file.getParent());
            Path fresh = file.resolveSibling(FILE_NAME + ".tmp");
            try (Writer snapshot = Files.newBufferedWriter(fresh, StandardCharsets.UTF_8)) {
                for (Journaled part : parts) {
                    for (JournalEntry entry : part.snapshot()) {
                        snapshot.write(WRITER.writeValueAsString(entry));
                        snapshot.write('\n');
                    }
                }
            }
            Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            synchronized (this) {
                out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void replay(JsonNode node, List<Journaled> parts) {
        try {
            JournalEntry entry = Json.MAPPER.treeToValue(node, JournalEntry.class);
            for (Journaled part : parts) {
                if (part.replay(entry)) {
                    return;
                }
            }
            LOG.warn("Skipped a journal entry of type {} that nothing applies", node.path("type").asText());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Skipped a journal entry of type {} that could not be applied: {}", node.path("type").asText(),
                    e.getClass().getSimpleName());
        }
    }

    /** Writes one change; a failed write is logged, not thrown, as the change has already been made in memory. */
    synchronized void append(JournalEntry entry) {
        if (out == null) {
            return;
        }
        try {
            out.write(WRITER.writeValueAsString(entry));
            out.write('\n');
            // flushed to the operating system, which keeps it when the process is killed
            out.flush();
        } catch (IOException e) {
            LOG.warn("Could not append to {}: {}", file, e.toString());
        }
    }

    @Override
    public synchronized void close() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            LOG.warn("Could not close {}: {}", file, e.toString());
        }
        out = null;
    }
}
