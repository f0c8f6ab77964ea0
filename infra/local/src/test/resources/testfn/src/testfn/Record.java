package testfn;

import imagine.core.Environment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends observations to RECORD_FILE and waits for gate files under GATE_DIR. */
final class Record {
    private Record() {
    }

    static synchronized void line(String text) {
        try {
            Files.writeString(Path.of(Environment.get("RECORD_FILE")), text + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void awaitGate(String name) throws InterruptedException {
        Path gate = Path.of(Environment.get("GATE_DIR"), name);
        long end = System.currentTimeMillis() + 30_000;
        while (!Files.exists(gate)) {
            if (System.currentTimeMillis() > end) {
                throw new IllegalStateException("gate " + name + " never opened");
            }
            Thread.sleep(20);
        }
    }
}
