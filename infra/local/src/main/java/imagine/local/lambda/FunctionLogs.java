package imagine.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import imagine.local.ops.LocalMetrics;
import imagine.local.ops.RecentProblems;
import java.io.IOException;
import java.io.PrintStream;

/**
 * Where the functions' log lines go on the local platform, as Lambda would keep them: their structured lines (one JSON
 * object each) printed readably by default ({@code 12:00:01.234 INFO WorkerFunction: delivered job_id=... model=...})
 * or as they are with {@link Format#JSON}; their Embedded Metric Format lines taken as CloudWatch would take them
 * ({@link LocalMetrics}) and printed only as JSON; warnings and errors also kept for the operations page.
 */
public final class FunctionLogs {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the functions' lines are printed. */
    public enum Format {
        /** One readable line each: time, level, function, message and fields. */
        TEXT,
        /** Each line as the function wrote it, as CloudWatch Logs would hold it. */
        JSON
    }

    private final Format format;
    private final LocalMetrics metrics;
    private final RecentProblems problems;
    private final PrintStream out;

    public FunctionLogs(Format format, LocalMetrics metrics, RecentProblems problems, PrintStream out) {
        this.format = format;
        this.metrics = metrics;
        this.problems = problems;
        this.out = out;
    }

    public static FunctionLogs readable() {
        return new FunctionLogs(Format.TEXT, new LocalMetrics(), new RecentProblems(), System.out);
    }

    public LocalMetrics metrics() {
        return metrics;
    }

    public RecentProblems problems() {
        return problems;
    }

    FunctionLogger logger(String function) {
        return new FunctionLogger(function, this);
    }

    /** One line a function wrote, at the level it gave (UNDEFINED for metrics and plain text). */
    void line(String function, String line, String level) {
        JsonNode document = parse(line);
        if (document != null && document.has("_aws")) {
            metrics.accept(document);
            if (format == Format.JSON) {
                out.println(line);
            }
            return;
        }
        if (document != null) {
            String lineLevel = document.path("level").asText(level);
            if (lineLevel.equals("WARN") || lineLevel.equals("ERROR")) {
                problems.add(function, lineLevel, document);
            }
        }
        if (format == Format.JSON) {
            out.println(line);
        } else if (document != null) {
            out.println(Readable.line(function, document));
        } else {
            out.println(Readable.plain(function, level, line));
        }
    }

    private static JsonNode parse(String line) {
        if (!line.startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && node.isObject() ? node : null;
        } catch (IOException notJson) {
            return null;
        }
    }
}
