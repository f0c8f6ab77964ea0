package testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import imagine.core.Environment;
import java.util.LinkedHashMap;
import java.util.Map;

/** Actions: echo, env, throw, gate, classes. */
public class Probe implements RequestHandler<Map<String, String>, Map<String, Object>> {
    public Probe() {
        Record.line("init " + Environment.get("AWS_LAMBDA_FUNCTION_NAME"));
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, String> input, Context context) {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            switch (input.get("action")) {
                case "echo":
                    out.put("echo", input.get("value"));
                    out.put("requestId", context.getAwsRequestId());
                    out.put("memory", context.getMemoryLimitInMB());
                    out.put("remaining", context.getRemainingTimeInMillis());
                    context.getLogger().log("echoing " + input.get("value"));
                    break;
                case "env":
                    out.put("value", Environment.get(input.get("name")));
                    break;
                case "throw":
                    throw new IllegalArgumentException("bad input " + input.get("value"));
                case "gate":
                    Record.line("started " + input.get("value"));
                    Record.awaitGate(input.get("gate"));
                    break;
                case "classes":
                    out.put("seesPlatform", sees("imagine.local.LocalPlatform"));
                    out.put("seesJackson", sees("com.fasterxml.jackson.databind.ObjectMapper"));
                    out.put("seesEvents", sees("com.amazonaws.services.lambda.runtime.events.SQSEvent"));
                    out.put("sameContext", Context.class.getClassLoader() != getClass().getClassLoader());
                    break;
                default:
                    throw new IllegalArgumentException(input.get("action"));
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException("interrupted", e);
        }
        return out;
    }

    private boolean sees(String className) {
        try {
            Class.forName(className, false, getClass().getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
