package imagine.local.telegram;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;

/** Every Bot API call with its outcome, and the errors queued to answer the next calls of a method. */
final class CallLog {
    private final List<ApiCall> calls = new ArrayList<>();
    private final Map<String, Queue<ApiException>> failures = new HashMap<>();
    private int tooManyRequests;

    synchronized void record(String method, Long chatId, ApiException error) {
        calls.add(new ApiCall(method, chatId, Instant.now(), error == null,
                error == null ? 0 : error.errorCode(), error == null ? null : error.description()));
        if (error != null && error.errorCode() == 429) {
            tooManyRequests++;
        }
    }

    synchronized void failNext(String method, ApiException error) {
        failures.computeIfAbsent(method.toLowerCase(Locale.ROOT), m -> new ArrayDeque<>()).add(error);
    }

    /** Throws the error queued for this method, if any. */
    synchronized void injectedFailure(String method) {
        Queue<ApiException> queue = failures.get(method.toLowerCase(Locale.ROOT));
        ApiException error = queue == null ? null : queue.poll();
        if (error != null) {
            throw error;
        }
    }

    synchronized List<ApiCall> calls() {
        return List.copyOf(calls);
    }

    synchronized int tooManyRequests() {
        return tooManyRequests;
    }

    static ApiException error(int code, String description, Map<String, Object> parameters) {
        ObjectNode node = parameters == null ? null : Json.MAPPER.valueToTree(parameters);
        return new ApiException(code, description, node);
    }
}
