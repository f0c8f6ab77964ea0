package imagine.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the functions' CPU goes: a Flight Recorder recording of execution samples (threads running Java code, every
 * {@value #PERIOD_MILLIS} ms) over a span, each sample given to the function whose thread it is ({@link ThreadCpu})
 * and to one kind of work by its stack: the first rule in {@link #KINDS} that matches. Code in native methods (the
 * sockets' reads and writes) is not sampled.
 */
final class CpuProfile implements AutoCloseable {
    private static final long PERIOD_MILLIS = 5;

    /** A kind of work, recognised by a frame of the stack. */
    private record Kind(String name, boolean leafOnly, Predicate<String> frame) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("byte copies (arraycopy, Arrays.copyOf, byte streams)", true, method ->
                    method.startsWith("java.lang.System.arraycopy") || method.startsWith("java.util.Arrays.copyOf")
                            || method.startsWith("java.io.ByteArrayOutputStream")
                            || method.startsWith("jdk.internal.misc.Unsafe.copyMemory")),
            new Kind("class loading", false, method -> method.startsWith("java.lang.ClassLoader.loadClass")
                    || method.startsWith("java.lang.ClassLoader.defineClass")
                    || method.startsWith("java.net.URLClassLoader")),
            new Kind("SigV4 signing (and its payload hash)", false, method ->
                    method.startsWith("software.amazon.awssdk.auth.signer")
                            || method.startsWith("software.amazon.awssdk.http.auth.aws")
                            || method.startsWith("software.amazon.awssdk.http.auth.spi")),
            new Kind("checksums (CRC32, MD5)", false, method -> method.contains(".checksums.")
                    || method.contains("Checksum") || method.startsWith("java.util.zip.CRC32")
                    || method.startsWith("sun.security.provider.MD5")),
            new Kind("JSON (Jackson)", false, method -> method.startsWith("com.fasterxml.jackson")),
            new Kind("logs and metrics", false, method -> method.startsWith("imagine.core.telemetry")
                    || method.startsWith("imagine.local.lambda.FunctionLog")),
            new Kind("XML (SDK responses)", false, method -> method.startsWith("javax.xml")
                    || method.startsWith("com.sun.org.apache.xerces")
                    || method.startsWith("software.amazon.awssdk.protocols.query")
                    || method.startsWith("software.amazon.awssdk.protocols.xml")),
            new Kind("HTTP clients and sockets (URLConnection, OkHttp)", false, method ->
                    method.startsWith("sun.net.") || method.startsWith("okhttp3.") || method.startsWith("okio.")
                            || method.startsWith("java.net.") || method.startsWith("sun.nio.")
                            || method.startsWith("software.amazon.awssdk.http.urlconnection")),
            new Kind("AWS SDK, other (pipeline, interceptors, endpoint rules, marshalling)", false, method ->
                    method.startsWith("software.amazon.awssdk")),
            new Kind("the bot's own code (and the JDK it calls)", false, method -> method.startsWith("imagine.")
                    && !method.startsWith("imagine.local.")));
    private static final String OTHER = "other (JDK)";

    private final Recording recording = new Recording();
    private final ThreadCpu threads;

    /** Starts recording. */
    CpuProfile(ThreadCpu threads) {
        this.threads = threads;
        recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(PERIOD_MILLIS));
        recording.start();
    }

    /**
     * Samples by owner, then by kind of work, by leaf method, by the bot's frame nearest the leaf, and by how the
     * leaf ran (interpreted, compiled, inlined: each environment's classes are its own, so each compiles its own).
     */
    record Result(Map<String, Map<String, Integer>> kinds, Map<String, Map<String, Integer>> leaves,
                  Map<String, Map<String, Integer>> botFrames, Map<String, Map<String, Integer>> compiled) {

        int samples(String owner) {
            return kinds.getOrDefault(owner, Map.of()).values().stream().mapToInt(Integer::intValue).sum();
        }

        /** "JSON (Jackson) 31%; …", the largest first. */
        String describe(Map<String, Map<String, Integer>> view, Set<String> owners, int limit) {
            Map<String, Integer> merged = new HashMap<>();
            owners.forEach(owner -> view.getOrDefault(owner, Map.of()).forEach((k, v) -> merged.merge(k, v, Integer::sum)));
            int total = merged.values().stream().mapToInt(Integer::intValue).sum();
            if (total == 0) {
                return "no samples";
            }
            return merged.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .limit(limit)
                    .map(e -> String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), 100.0 * e.getValue() / total))
                    .collect(Collectors.joining("; "))
                    + String.format(Locale.ROOT, " (%d samples)", total);
        }
    }

    /** Stops recording and reads it. */
    Result stop() throws IOException {
        recording.stop();
        Path file = Files.createTempFile("imagine-cpu", ".jfr");
        try {
            recording.dump(file);
            Map<String, Map<String, Integer>> kinds = new HashMap<>();
            Map<String, Map<String, Integer>> leaves = new HashMap<>();
            Map<String, Map<String, Integer>> botFrames = new HashMap<>();
            Map<String, Map<String, Integer>> compiled = new HashMap<>();
            for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedThread thread = event.getThread("sampledThread");
                RecordedStackTrace stack = event.getStackTrace();
                String owner = thread == null ? null : threads.ownerOf(thread.getJavaThreadId());
                if (owner == null || stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                List<String> methods = stack.getFrames().stream().map(CpuProfile::method).toList();
                kinds.computeIfAbsent(owner, o -> new HashMap<>()).merge(kind(methods), 1, Integer::sum);
                leaves.computeIfAbsent(owner, o -> new HashMap<>()).merge(methods.get(0), 1, Integer::sum);
                String bot = methods.stream().filter(m -> m.startsWith("imagine.") && !m.startsWith("imagine.local.")
                        && !m.startsWith("imagine.core.telemetry")).findFirst().orElse("(none)");
                botFrames.computeIfAbsent(owner, o -> new HashMap<>()).merge(bot, 1, Integer::sum);
                compiled.computeIfAbsent(owner, o -> new HashMap<>())
                        .merge(stack.getFrames().get(0).getType(), 1, Integer::sum);
            }
            return new Result(kinds, leaves, botFrames, compiled);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Override
    public void close() {
        recording.close();
    }

    private static String kind(List<String> methods) {
        for (Kind kind : KINDS) {
            List<String> looked = kind.leafOnly() ? methods.subList(0, Math.min(2, methods.size())) : methods;
            if (looked.stream().anyMatch(kind.frame())) {
                return kind.name();
            }
        }
        return OTHER;
    }

    private static String method(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
