package imagine.local.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The functions' latest warnings and errors (their log lines, and invocations that failed), newest first. */
public final class RecentProblems {
    static final int KEPT = 30;

    /** @param fields the line's own fields, as the function wrote them */
    public record Problem(Instant at, String function, String level, String message, JsonNode fields) {

        /** An invocation, or an environment's init, that failed. */
        public static Problem failure(String function, String message) {
            return new Problem(Instant.now(), function, "ERROR", message, JsonNodeFactory.instance.objectNode());
        }
    }

    private final Deque<Problem> problems = new ArrayDeque<>();

    public void add(String function, String level, JsonNode line) {
        add(new Problem(Instant.now(), function, level, line.path("message").asText(), line));
    }

    public synchronized void add(Problem problem) {
        problems.addFirst(problem);
        while (problems.size() > KEPT) {
            problems.removeLast();
        }
    }

    public synchronized List<Problem> latest() {
        return List.copyOf(problems);
    }
}
