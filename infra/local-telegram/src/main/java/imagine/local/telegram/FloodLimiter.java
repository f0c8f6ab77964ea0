package imagine.local.telegram;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;

/** Telegram's per-chat flood control as a token bucket; an empty bucket answers 429 with retry_after. */
final class FloodLimiter {
    private final double perSecond;
    private final int burst;
    private final Map<Long, double[]> buckets = new HashMap<>();

    FloodLimiter(double perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = burst;
    }

    synchronized void acquire(long chatId) {
        long now = System.nanoTime();
        // bucket[0] = tokens, bucket[1] = time of the last refill in nanoseconds
        double[] bucket = buckets.computeIfAbsent(chatId, id -> new double[] {burst, now});
        bucket[0] = Math.min(burst, bucket[0] + (now - bucket[1]) / 1e9 * perSecond);
        bucket[1] = now;
        if (bucket[0] >= 1) {
            bucket[0] -= 1;
            return;
        }
        int retryAfter = (int) Math.max(1, Math.ceil((1 - bucket[0]) / perSecond));
        ObjectNode parameters = Json.object();
        parameters.put("retry_after", retryAfter);
        throw new ApiException(429, "Too Many Requests: retry after " + retryAfter, parameters);
    }
}
