package imagine.benchmark;

import java.util.List;

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
 * @param stragglers            "user 10004: 52.1 s", one per image later than the wave's timeout
 * @param missing               "user 10005: job 1000123-0-0 PREDICTING", one per image not delivered by the limit
 */
record WaveResult(Workload workload, long makespanNanos, long longestPredictionNanos, int delivered,
                  int tooManyRequests, long workerColdStarts, List<Long> acks, long cpuNanos, long waitedNanos,
                  List<String> stragglers, List<String> missing) {

    /** Stragglers and missing images, or "" when every image came within the wave's timeout. */
    String unexplained() {
        StringBuilder text = new StringBuilder();
        if (!stragglers.isEmpty()) {
            text.append("; late: ").append(String.join(", ", stragglers));
        }
        if (!missing.isEmpty()) {
            text.append("; not delivered: ").append(String.join(", ", missing));
        }
        return text.toString();
    }
}
