package imagine.local.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/** The Context one invocation sees; the remaining time counts down to {@code deadlineMillis}. */
final class LocalContext implements Context {
    private final String requestId;
    private final String functionName;
    private final String functionArn;
    private final int memoryLimitInMB;
    private final long deadlineMillis;
    private final LambdaLogger logger;

    LocalContext(String requestId, String functionName, String functionArn, int memoryLimitInMB,
            long deadlineMillis, LambdaLogger logger) {
        this.requestId = requestId;
        this.functionName = functionName;
        this.functionArn = functionArn;
        this.memoryLimitInMB = memoryLimitInMB;
        this.deadlineMillis = deadlineMillis;
        this.logger = logger;
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local/" + functionName;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return functionArn;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryLimitInMB;
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }
}
