package imagine.benchmark;

import imagine.benchmark.profile.Phase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where sampled cold starts spent their time up to the first response, averaged over the runs: the JVM's own start
 * up to the main method, then each {@link Phase}. A sample's phase holds until the next sample.
 */
final class StartProfile {
    /** Phases shorter than this on average are left out of the line. */
    private static final long SHOWN_NANOS = 2_000_000;

    private final Map<Phase, Long> nanos = new EnumMap<>(Phase.class);
    private long jvmStartNanos;
    private long totalNanos;
    private int runs;

    void add(Path samples, LambdaProcess.Timing timing) throws IOException {
        List<String> lines = Files.readAllLines(samples);
        if (lines.isEmpty() || !lines.get(0).endsWith(" START")) {
            throw new IOException("no samples in " + samples);
        }
        long previous = Long.parseLong(lines.get(0).split(" ")[0]);
        jvmStartNanos += previous - timing.startedAt();
        Phase phase = Phase.OTHER;
        for (String line : lines.subList(1, lines.size())) {
            String[] parts = line.split(" ");
            if (parts.length != 2) {
                break;
            }
            long at = Math.min(Long.parseLong(parts[0]), timing.respondedAt());
            nanos.merge(phase, at - previous, Long::sum);
            previous = at;
            phase = Phase.valueOf(parts[1]);
            if (at == timing.respondedAt()) {
                break;
            }
        }
        totalNanos += timing.firstResponseNanos();
        runs++;
    }

    /** "JVM start to main 180 ms; the event library 150 ms; …", longest first, and their total. */
    String describe() {
        List<String> parts = new ArrayList<>();
        parts.add("JVM start to main " + millis(jvmStartNanos));
        nanos.entrySet().stream()
                .filter(entry -> entry.getValue() / runs >= SHOWN_NANOS)
                .sorted(Map.Entry.<Phase, Long>comparingByValue().reversed())
                .forEach(entry -> parts.add(entry.getKey().label() + " " + millis(entry.getValue())));
        return String.join("; ", parts) + String.format(Locale.ROOT, " (first response %s, mean of %d sampled runs)",
                millis(totalNanos), runs);
    }

    private String millis(long sum) {
        return String.format(Locale.ROOT, "%.0f ms", sum / 1e6 / runs);
    }
}
