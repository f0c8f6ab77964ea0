package imagine.core.telemetry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;

/**
 * Where an execution environment's lines go: Lambda's logger, given the bytes of each line as they are. The runtime
 * formats nothing given as bytes (a String it wraps as {"message": ...} in the JSON log format), filters them by the
 * function's application log level, and frames them for CloudWatch. An environment runs one invocation at a time, so
 * the lines of the running invocation (its job threads too) carry its request id.
 */
final class LogOutput {
    private static volatile LambdaLogger logger;
    private static volatile String requestId;

    private LogOutput() {
    }

    static void attach(Context context) {
        logger = context.getLogger();
        requestId = context.getAwsRequestId();
    }

    static void use(LambdaLogger environmentLogger) {
        logger = environmentLogger;
        requestId = null;
    }

    static String requestId() {
        return requestId;
    }

    /** One line; {@code line} ends with a newline. Outside an invocation (init), the runtime's own logger. */
    static void write(byte[] line, LogLevel level) {
        LambdaLogger target = logger;
        (target != null ? target : LambdaRuntime.getLogger()).log(line, level);
    }
}
