package imagine.benchmark;

import java.util.List;

/**
 * What one fan-out wave measured.
 *
 * @param makespanNanos         from the first update sent to the last image received by Telegram
 * @param longestPredictionNanos the slowest prediction of the wave at the model (its latency has jitter)
 * @param acks                  every webhook acknowledgement during the wave, in nanoseconds
 * @param cpuNanos              CPU time this JVM used over the makespan
 */
record WaveResult(Workload workload, long makespanNanos, long longestPredictionNanos, int delivered,
                  int tooManyRequests, long workerColdStarts, List<Long> acks, long cpuNanos) {
}
