package imagine.benchmark;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What one fan-out wave measured. The wave waits for every image up to its straggler limit: an image later than
 * the wave's timeout is a straggler, with its delay; one not there by the limit is missing, with what its job
 * record says.
 *
 * @param makespanNanos         from the first update sent to the last image received by Telegram, stragglers
 *                              included; 0 when none arrived
 * @param longestPredictionNanos the slowest prediction of the wave at the model (its latency has jitter)
 * @param acks                  every webhook acknowledgement during the wave, in nanoseconds
 * @param cpuNanos              CPU time this JVM used while the wave ran
 * @param waitedNanos           how long the wave ran: to its last image, or to the straggler limit
 * @param stragglers            one per image later than the wave's timeout, earliest first
 * @param missing               "user 10005: job 1000123-0-0 PREDICTING", one per image not delivered by the limit
 */
record WaveResult(Workload workload, long makespanNanos, long longestPredictionNanos, int delivered,
                  int tooManyRequests, long workerColdStarts, List<Long> acks, long cpuNanos, long waitedNanos,
                  List<Late> stragglers, List<String> missing) {
    private static final int LISTED = 5;

    /** An image Telegram received after the wave's timeout, seconds after the wave began. */
    record Late(long user, double seconds) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "user %d %.1f s", user, seconds);
        }
    }

    /** Stragglers (the latest few by name) and missing images, or "" when every image came within the timeout. */
    String unexplained() {
        StringBuilder text = new StringBuilder();
        if (!stragglers.isEmpty()) {
            List<Late> latest = stragglers.subList(Math.max(0, stragglers.size() - LISTED), stragglers.size());
            text.append(String.format(Locale.ROOT, "; %d late, median %.1f s, latest: ", stragglers.size(),
                            stragglers.get(stragglers.size() / 2).seconds()))
                    .append(latest.stream().map(Late::toString).collect(Collectors.joining(", ")));
        }
        if (!missing.isEmpty()) {
            text.append("; not delivered: ").append(String.join(", ", missing));
        }
        return text.toString();
    }
}
