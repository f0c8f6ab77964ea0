package imagine.local.lambda;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Lambda execution environment: its own class loader over the function's jar, one handler instance, and one
 * thread that runs one invocation at a time.
 */
final class ExecutionEnvironment {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionEnvironment.class);
    private static final String ENVIRONMENT_CLASS = "imagine.core.Environment";
    private static final String LOG_CLASS = "imagine.core.telemetry.Log";
    private static final String PRIMING_CLASS = "imagine.core.Priming";

    private final String name;
    private final URLClassLoader loader;
    private final EventSerialization events;
    private final ExecutorService thread;
    private volatile Thread worker;
    private volatile HandlerCall handler;
    private volatile boolean discarded;

    ExecutionEnvironment(String name, Path jar) {
        this.name = name;
        this.loader = loader(name, jar);
        this.events = new EventSerialization(loader);
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, name);
            worker = t;
            t.setDaemon(true);
            t.setContextClassLoader(loader);
            return t;
        });
    }

    /**
     * A class loader of its own over the function's jar. Resources are read without the JDK's shared cache of jar
     * files: with it, every loader over one jar reads its resources from one open file, which the first loader to
     * close (an environment discarded, another platform stopped) closes under the others' reads ("Stream closed").
     */
    static URLClassLoader loader(String name, Path jar) {
        URLConnection.setDefaultUseCaches("jar", false);
        try {
            return new URLClassLoader(name, new URL[] {jar.toUri().toURL()}, LambdaCoreClassLoader.INSTANCE);
        } catch (IOException e) {
            throw new IllegalArgumentException("Bad jar path " + jar, e);
        }
    }

    String name() {
        return name;
    }

    /** CPU time the environment's thread has used so far. */
    Duration cpuTime() {
        Thread current = worker;
        long nanos = current == null ? 0 : ManagementFactory.getThreadMXBean().getThreadCpuTime(current.getId());
        return Duration.ofNanos(Math.max(0, nanos));
    }

    boolean discarded() {
        return discarded;
    }

    /**
     * Gives the function its environment variables and its logger (what it logs before its first invocation, as on
     * Lambda, goes to the function's log), then creates the handler (the init phase).
     */
    Future<?> init(String handlerSpec, Map<String, String> variables, LambdaLogger logger) {
        return thread.submit((Callable<Void>) () -> {
            useEnvironment(variables);
            useLogger(logger);
            String className = handlerSpec.contains("::")
                    ? handlerSpec.substring(0, handlerSpec.indexOf("::")) : handlerSpec;
            Object instance = Class.forName(className, true, loader).getDeclaredConstructor().newInstance();
            handler = HandlerCall.of(instance, handlerSpec, events);
            return null;
        });
    }

    /**
     * Runs the function's SnapStart priming hooks, if it has any: a deployed environment is restored from a snapshot
     * taken after them.
     */
    Future<?> prime() {
        return thread.submit((Callable<Void>) () -> {
            Class<?> priming;
            try {
                priming = Class.forName(PRIMING_CLASS, true, loader);
            } catch (ClassNotFoundException e) {
                return null;
            }
            try {
                priming.getMethod("primeAndRestore").invoke(null);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(PRIMING_CLASS + ".primeAndRestore failed", e.getCause());
            }
            return null;
        });
    }

    Future<String> invoke(String eventJson, LocalContext context) {
        return thread.submit(() -> {
            try {
                return handler.call(eventJson, context);
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        });
    }

    /** Stops the environment: a running invocation is interrupted and the class loader is closed. */
    void discard() {
        discarded = true;
        thread.shutdownNow();
        events.close();
        try {
            loader.close();
        } catch (IOException e) {
            LOG.debug("closing the class loader of {}", name, e);
        }
    }

    private void useLogger(LambdaLogger logger) throws ReflectiveOperationException {
        Class<?> log;
        try {
            log = Class.forName(LOG_CLASS, true, loader);
        } catch (ClassNotFoundException e) {
            return;
        }
        log.getMethod("use", LambdaLogger.class).invoke(null, logger);
    }

    private void useEnvironment(Map<String, String> variables) throws ReflectiveOperationException {
        Class<?> environment;
        try {
            environment = Class.forName(ENVIRONMENT_CLASS, true, loader);
        } catch (ClassNotFoundException e) {
            LOG.debug("{} has no {}: environment variables not passed", name, ENVIRONMENT_CLASS);
            return;
        }
        Method use = environment.getMethod("use", Map.class);
        try {
            use.invoke(null, Map.copyOf(variables));
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(ENVIRONMENT_CLASS + ".use failed", e.getCause());
        }
    }
}
