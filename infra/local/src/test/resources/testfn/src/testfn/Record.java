package testfn;

import imagine.core.Environment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

/** Appends observations to RECORD_FILE and waits for gate files under GATE_DIR. */
final class Record {
    private static final long GATE_TIMEOUT_SECONDS = 30;

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

    /** Returns once the gate file exists, told by the file system when it is created. */
    static void awaitGate(String name) throws InterruptedException {
        Path gates = Path.of(Environment.get("GATE_DIR"));
        Path gate = gates.resolve(name);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(GATE_TIMEOUT_SECONDS);
        try (WatchService watcher = gates.getFileSystem().newWatchService()) {
            gates.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            while (!Files.exists(gate)) {
                WatchKey created = watcher.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (created == null) {
                    throw new IllegalStateException("gate " + name + " never opened");
                }
                created.pollEvents();
                created.reset();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
