package imagine.local.lambda;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.nio.charset.StandardCharsets;

/** The function's LambdaLogger: each line goes to the platform's {@link FunctionLogs} under the function's name. */
final class FunctionLogger implements LambdaLogger {
    private final String function;
    private final FunctionLogs logs;

    FunctionLogger(String function, FunctionLogs logs) {
        this.function = function;
        this.logs = logs;
    }

    @Override
    public void log(String message) {
        log(message, LogLevel.UNDEFINED);
    }

    @Override
    public void log(byte[] message) {
        log(message, LogLevel.UNDEFINED);
    }

    @Override
    public void log(String message, LogLevel level) {
        if (message != null) {
            message.lines().forEach(line -> logs.line(function, line, level.name()));
        }
    }

    @Override
    public void log(byte[] message, LogLevel level) {
        log(new String(message, StandardCharsets.UTF_8), level);
    }
}
