package imagine.local.lambda;

import java.time.Duration;

/** The outcome of one invocation: the response payload (JSON), or the error. */
public record InvocationResult(String requestId, String payload, FunctionError error, boolean coldStart,
        Duration duration) {

    public boolean failed() {
        return error != null;
    }

    /** What {@code sam local invoke} prints: the payload, or the error object. */
    public String responseJson() {
        return failed() ? error.toJson() : payload;
    }
}
