package imagine.local.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads a JSON-lines file that a crash may have left with a cut-short line. */
final class JsonLines {
    private static final Logger LOG = LoggerFactory.getLogger(JsonLines.class);

    private JsonLines() {
    }

    /** The readable lines of the file (none when it does not exist); an unreadable line is skipped with a warning. */
    static List<JsonNode> read(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text;
        try {
            // decoding leniently: a line cut inside a multi-byte character must not fail the whole file
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<JsonNode> nodes = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                nodes.add(Json.parse(lines[i]));
            } catch (UncheckedIOException e) {
                LOG.warn("Skipped unreadable line {} of {} (a write cut short by a crash?)", i + 1, file);
            }
        }
        return nodes;
    }

    /** Ends a line a crash cut short, so that the next line appended stays readable. */
    static void endLastLine(Path file) {
        try {
            if (Files.exists(file) && Files.size(file) > 0) {
                try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ,
                        StandardOpenOption.WRITE)) {
                    ByteBuffer last = ByteBuffer.allocate(1);
                    channel.position(channel.size() - 1).read(last);
                    if (last.get(0) != '\n') {
                        channel.position(channel.size()).write(ByteBuffer.wrap(new byte[] {'\n'}));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
