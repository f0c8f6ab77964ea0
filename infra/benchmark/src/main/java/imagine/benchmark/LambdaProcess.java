package imagine.benchmark;

import imagine.benchmark.profile.SampledStart;
import imagine.benchmark.snapshot.Core;
import imagine.benchmark.snapshot.SnapshotStart;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One fresh JVM running a function through Lambda's Runtime Interface Client against a local Runtime API, from
 * process start to the first response.
 *
 * @param classpath              the function's jar (and anything beside it)
 * @param runtimeClientClasspath the runtime client, serialization, core and utils-lite jars
 * @param jniLibrary             the client's native library, extracted once, as Lambda's image ships it
 */
record LambdaProcess(String classpath, String handler, Map<String, String> environment, String runtimeClientClasspath,
                     Path jniLibrary, Start start) {
    private static final String RUNTIME_CLIENT = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    /** How the JVM comes to its first event. */
    enum Start {
        /** As Lambda starts an environment without SnapStart. */
        FRESH,
        /** As if restored from a SnapStart snapshot taken after the function's CRaC priming. */
        RESTORED,
        /** Fresh, with its main thread's stack sampled ({@link SampledStart}). */
        SAMPLED
    }

    LambdaProcess(String classpath, String handler, Map<String, String> environment, String runtimeClientClasspath,
                  Path jniLibrary) {
        this(classpath, handler, environment, runtimeClientClasspath, jniLibrary, Start.FRESH);
    }

    LambdaProcess startingAs(Start how) {
        return new LambdaProcess(classpath, handler, environment, runtimeClientClasspath, jniLibrary, how);
    }

    /**
     * Nanoseconds (System.nanoTime) of the process start, the first GET next (init done) and the response, and the
     * response itself.
     */
    record Timing(long startedAt, long initDoneAt, long respondedAt, String response) {
        long initNanos() {
            return initDoneAt - startedAt;
        }

        long firstResponseNanos() {
            return respondedAt - startedAt;
        }

        long firstEventNanos() {
            return respondedAt - initDoneAt;
        }
    }

    private static String ownClasses() throws URISyntaxException {
        return Path.of(SnapshotStart.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    Timing run(String event, List<String> extraJvmOptions, Path log, long exitWaitSeconds) throws Exception {
        try (RuntimeApi api = new RuntimeApi(event)) {
            List<String> command = new ArrayList<>(List.of(Java.launcher()));
            command.addAll(extraJvmOptions);
            command.add("-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI=" + jniLibrary);
            switch (start) {
                case FRESH -> command.addAll(List.of("-cp", classpath + ":" + runtimeClientClasspath, RUNTIME_CLIENT, handler));
                case RESTORED -> {
                    command.add("-Dorg.crac.Core.Compat=" + Core.class.getPackageName());
                    command.addAll(List.of("-cp", classpath + ":" + runtimeClientClasspath + ":" + ownClasses(),
                            SnapshotStart.class.getName(), handler));
                }
                case SAMPLED -> command.addAll(List.of("-cp", classpath + ":" + runtimeClientClasspath + ":" + ownClasses(),
                        SampledStart.class.getName(), handler));
            }
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Map<String, String> env = builder.environment();
            String path = env.get("PATH");
            env.clear();
            env.put("PATH", path == null ? "/usr/bin:/bin" : path);
            env.putAll(environment);
            env.put("AWS_LAMBDA_RUNTIME_API", api.address());
            long started = System.nanoTime();
            Process process = builder.start();
            try {
                RuntimeApi.Outcome outcome = api.outcome().get(60, TimeUnit.SECONDS);
                if (!outcome.ok()) {
                    throw new IOException(handler + " failed in the runtime client (see " + log + "): " + outcome.body());
                }
                return new Timing(started, outcome.firstNextNanos(), outcome.doneNanos(), outcome.body());
            } catch (TimeoutException e) {
                throw new IOException(handler + " gave no response within 60 s (see " + log + ")", e);
            } finally {
                process.destroy();
                if (!process.waitFor(exitWaitSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }
    }
}
