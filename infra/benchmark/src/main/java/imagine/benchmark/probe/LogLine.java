package imagine.benchmark.probe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import imagine.core.telemetry.Log;
import java.util.Map;

/** One structured log line, as the webhook writes per update. */
public final class LogLine implements RequestHandler<Map<String, Object>, String> {
    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        Log.attach(context);
        Log.of("update_id", 930_001L, "user_id", 3001L).info("update answered", "jobs", 2, "models", "ideogram",
                "stage", "acknowledge", "duration_ms", 12L);
        return "ok";
    }
}
