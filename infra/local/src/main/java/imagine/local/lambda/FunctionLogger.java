package imagine.local.lambda;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The function's LambdaLogger: each line goes to the platform's log under the function's name. */
final class FunctionLogger implements LambdaLogger {
    private final Logger log;

    FunctionLogger(String functionName) {
        this.log = LoggerFactory.getLogger(functionName);
    }

    @Override
    public void log(String message) {
        if (message == null) {
            return;
        }
        message.lines().forEach(log::info);
    }

    @Override
    public void log(byte[] message) {
        log(new String(message, StandardCharsets.UTF_8));
    }
}
