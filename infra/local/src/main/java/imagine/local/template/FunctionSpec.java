package imagine.local.template;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A function with Globals.Function merged in and every value resolved. */
public record FunctionSpec(
        String logicalId,
        Path codeUri,
        String handler,
        int memorySize,
        int timeoutSeconds,
        Map<String, String> environment,
        List<HttpRoute> routes,
        List<SqsSubscription> sqsEvents) {

    public FunctionSpec {
        environment = Map.copyOf(environment);
        routes = List.copyOf(routes);
        sqsEvents = List.copyOf(sqsEvents);
    }

    public String handlerClass() {
        int colons = handler.indexOf("::");
        return colons < 0 ? handler : handler.substring(0, colons);
    }
}
