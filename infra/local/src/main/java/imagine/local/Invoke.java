package imagine.local;

import imagine.local.lambda.InvocationResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One function, one event file, one response: what {@code sam local invoke Fn -e event.json} does. */
public final class Invoke {
    private Invoke() {
    }

    /** Invokes on a running platform. */
    public static InvocationResult run(LocalPlatform platform, String functionId, Path eventFile) {
        return platform.function(functionId).execute(read(eventFile));
    }

    /** Starts the platform without queue polling and on free ports, invokes once, and stops it. */
    public static InvocationResult run(Options options, String functionId, Path eventFile) {
        String event = read(eventFile);
        try (LocalPlatform platform = LocalPlatform.start(options.withApiPort(0).withPollQueues(false))) {
            return platform.function(functionId).execute(event);
        }
    }

    private static String read(Path eventFile) {
        try {
            return Files.readString(eventFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read event " + eventFile, e);
        }
    }
}
