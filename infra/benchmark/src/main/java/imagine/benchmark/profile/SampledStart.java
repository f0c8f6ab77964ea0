package imagine.benchmark.profile;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Main class of a child JVM whose cold start is sampled: a daemon thread looks at the main thread's stack every
 * millisecond (the runtime client runs init and each event on it) and writes {@code nanoTime phase} per sample to
 * the file named by {@code -Dimagine.samples}, flushed when the JVM is stopped; then Lambda's runtime client starts
 * as usual. The samples share the machine's clock with the benchmark (System.nanoTime), which keeps those up to the
 * first response.
 */
public final class SampledStart {
    private static final String RUNTIME_CLIENT = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    private SampledStart() {
    }

    /** @param args the runtime client's: the handler first */
    public static void main(String[] args) throws Throwable {
        Path file = Path.of(System.getProperty("imagine.samples"));
        BufferedWriter out = Files.newBufferedWriter(file);
        out.write(System.nanoTime() + " START\n");
        Thread main = Thread.currentThread();
        Thread sampler = new Thread(() -> sample(main, out), "start-sampler");
        sampler.setDaemon(true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (out) {
                try {
                    out.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }));
        sampler.start();
        Class.forName(RUNTIME_CLIENT).getMethod("main", String[].class).invoke(null, (Object) args);
    }

    private static void sample(Thread main, BufferedWriter out) {
        while (true) {
            StackTraceElement[] stack = main.getStackTrace();
            long now = System.nanoTime();
            synchronized (out) {
                try {
                    out.write(now + " " + Phase.of(stack).name() + "\n");
                } catch (IOException closed) {
                    return;
                }
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
