package imagine.local.telegram;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Callback queries awaiting an answer; Telegram accepts one answer within 15 seconds. */
final class CallbackQueries {
    private static final long TIMEOUT_NANOS = Duration.ofSeconds(15).toNanos();

    private record Query(long chatId, long createdNanos) {
    }

    private final Map<String, Query> open = new HashMap<>();
    private long counter;

    synchronized String register(long chatId) {
        String id = Long.toString(4_000_000_000_000_000L + ++counter);
        open.put(id, new Query(chatId, System.nanoTime()));
        return id;
    }

    /** Marks the query answered and returns its chat id. */
    synchronized long answer(String id) {
        Query query = id == null ? null : open.remove(id);
        if (query == null || System.nanoTime() - query.createdNanos() > TIMEOUT_NANOS) {
            throw ApiException.badRequest("query is too old and response timeout expired or query ID is invalid");
        }
        return query.chatId();
    }
}
