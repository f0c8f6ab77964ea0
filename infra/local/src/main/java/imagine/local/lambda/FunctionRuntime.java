package imagine.local.lambda;

import imagine.local.aws.LocalAws;
import imagine.local.ops.RecentProblems;
import imagine.local.template.FunctionSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one template function from its jar the way Lambda does: execution environments created on demand up to a
 * concurrency limit, each with its own class loader and handler instance, reused while warm, discarded after a
 * timeout.
 */
public final class FunctionRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FunctionRuntime.class);
    private static final Duration INIT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Lambda gives each new environment its own CPU for its init; here every environment shares this
     * machine's few cores. So inits take turns, and the 10 s limit counts the CPU time the init used,
     * within a wall-clock bound that catches an init stuck waiting.
     */
    private static final Semaphore INIT_TURNS = new Semaphore(Runtime.getRuntime().availableProcessors(), true);
    private static final Duration INIT_WALL_LIMIT = INIT_TIMEOUT.multipliedBy(6);

    private final FunctionSpec spec;
    private final Map<String, String> environment;
    private final String functionArn;
    private final int maximumConcurrency;
    private final Semaphore slots;
    private final Deque<ExecutionEnvironment> idle = new ConcurrentLinkedDeque<>();
    private final Set<ExecutionEnvironment> live = ConcurrentHashMap.newKeySet();
    private final FunctionLogger logger;
    private final FunctionLogs logs;
    private final AtomicInteger environmentNumbers = new AtomicInteger();
    private final AtomicLong coldStarts = new AtomicLong();
    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong billedNanos = new AtomicLong();
    private volatile boolean closed;

    /**
     * {@code extraEnvironment} is added to (and overrides) the template's variables, e.g. the local endpoints;
     * {@code maximumConcurrency} bounds how many environments run at once.
     */
    public FunctionRuntime(FunctionSpec spec, Map<String, String> extraEnvironment, int maximumConcurrency,
            LocalAws aws) {
        this(spec, extraEnvironment, maximumConcurrency, aws, FunctionLogs.readable());
    }

    /** {@code logs} takes the function's lines, metrics and problems. */
    public FunctionRuntime(FunctionSpec spec, Map<String, String> extraEnvironment, int maximumConcurrency,
            LocalAws aws, FunctionLogs logs) {
        if (!Files.isRegularFile(spec.codeUri())) {
            throw new IllegalArgumentException(spec.logicalId() + ": no jar at " + spec.codeUri()
                    + " (build the functions with mvn package)");
        }
        if (maximumConcurrency < 1) {
            throw new IllegalArgumentException("maximumConcurrency must be at least 1");
        }
        aws.applyToSystemProperties();
        this.spec = spec;
        this.maximumConcurrency = maximumConcurrency;
        this.slots = new Semaphore(maximumConcurrency, true);
        this.functionArn = "arn:aws:lambda:" + aws.region() + ":" + aws.accountId() + ":function:" + spec.logicalId();
        this.logs = logs;
        this.logger = logs.logger(spec.logicalId());
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("AWS_REGION", aws.region());
        variables.put("AWS_DEFAULT_REGION", aws.region());
        variables.put("AWS_LAMBDA_FUNCTION_NAME", spec.logicalId());
        variables.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        variables.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memorySize()));
        variables.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + spec.logicalId());
        variables.putAll(spec.environment());
        variables.putAll(extraEnvironment);
        this.environment = Map.copyOf(variables);
    }

    public String name() {
        return spec.logicalId();
    }

    public FunctionSpec spec() {
        return spec;
    }

    /** The variables each environment gets: Lambda's own, the template's, then the caller's. */
    public Map<String, String> environment() {
        return environment;
    }

    public int maximumConcurrency() {
        return maximumConcurrency;
    }

    /** Environments created so far: one cold start each. */
    public long coldStarts() {
        return coldStarts.get();
    }

    public long invocations() {
        return invocations.get();
    }

    /** Time spent in invocations so far, init included: what Lambda bills. */
    public Duration billed() {
        return Duration.ofNanos(billedNanos.get());
    }

    /** Runs one invocation, waiting for a free slot when {@link #maximumConcurrency()} are busy. */
    public InvocationResult execute(String eventJson) {
        String requestId = UUID.randomUUID().toString();
        long start = System.nanoTime();
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure(requestId, false, start, new FunctionError("Runtime.Interrupted", "invocation abandoned"));
        }
        try {
            if (closed) {
                return failure(requestId, false, start, new FunctionError("Runtime.Stopped", name() + " is stopped"));
            }
            invocations.incrementAndGet();
            ExecutionEnvironment env = idle.pollFirst();
            boolean cold = env == null;
            if (cold) {
                env = newEnvironment();
                FunctionError initError = initialize(env);
                if (initError != null) {
                    drop(env);
                    return failure(requestId, true, start, initError);
                }
            }
            Duration timeout = Duration.ofSeconds(spec.timeoutSeconds());
            LocalContext context = new LocalContext(requestId, name(), functionArn, spec.memorySize(),
                    System.currentTimeMillis() + timeout.toMillis(), logger);
            Future<String> call = env.invoke(eventJson, context);
            FunctionError error = await(env, call, timeout, "invocation");
            if (error == null) {
                idle.offerFirst(env);
                InvocationResult result = new InvocationResult(requestId, call.get(), null, cold, since(start));
                billedNanos.addAndGet(result.duration().toNanos());
                return result;
            }
            if (env.discarded() || error.errorType().startsWith("Sandbox.") || error.errorType().startsWith("Runtime.")) {
                drop(env);
            } else {
                idle.offerFirst(env);
            }
            return failure(requestId, cold, start, error);
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("unreachable: the call already completed", e);
        } finally {
            slots.release();
        }
    }

    /**
     * Creates and initialises one environment before any invocation needs it, as provisioned concurrency does, and
     * runs the function's SnapStart priming hooks, which a deployed environment restored from its snapshot has run:
     * the next invocation finds it warm. Returns whether the init succeeded; when it did not, the environment is dropped
     * and the first invocation starts cold and reports the error.
     */
    public boolean startAhead() {
        if (closed) {
            return false;
        }
        ExecutionEnvironment env = newEnvironment();
        try {
            FunctionError initError = initialize(env);
            if (initError == null) {
                initError = await(env, env.prime(), INIT_TIMEOUT, "priming");
            }
            if (initError != null) {
                drop(env);
                LOG.warn("{}: starting {} ahead failed: {}", name(), env.name(), initError.errorType());
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drop(env);
            return false;
        }
        idle.offerLast(env);
        return true;
    }

    /** The response JSON, or Lambda's error object {errorMessage, errorType}. */
    public String invoke(String eventJson) {
        return execute(eventJson).responseJson();
    }

    /**
     * Kills every execution environment, as if its sandbox died: running invocations end with an error and the
     * next invocations start cold. Returns how many environments were discarded.
     */
    public int discardAll() {
        int count = 0;
        for (ExecutionEnvironment env : live) {
            drop(env);
            count++;
        }
        LOG.info("{}: {} execution environments discarded", name(), count);
        return count;
    }

    @Override
    public void close() {
        closed = true;
        live.forEach(this::drop);
    }

    private ExecutionEnvironment newEnvironment() {
        coldStarts.incrementAndGet();
        ExecutionEnvironment env = new ExecutionEnvironment(
                name() + "-env-" + environmentNumbers.incrementAndGet(), spec.codeUri());
        live.add(env);
        LOG.info("{}: cold start of {}", name(), env.name());
        return env;
    }

    private void drop(ExecutionEnvironment env) {
        live.remove(env);
        idle.remove(env);
        env.discard();
    }

    /** Waits for one phase; null when it succeeded, else the error Lambda would report. */
    private FunctionError initialize(ExecutionEnvironment env) throws InterruptedException {
        INIT_TURNS.acquire();
        try {
            Future<?> init = env.init(spec.handler(), environment, logger);
            long wallDeadline = System.nanoTime() + INIT_WALL_LIMIT.toNanos();
            while (!init.isDone() && env.cpuTime().compareTo(INIT_TIMEOUT) < 0 && System.nanoTime() < wallDeadline) {
                Thread.sleep(50);
            }
            return await(env, init, Duration.ZERO, INIT_TIMEOUT, "init");
        } finally {
            INIT_TURNS.release();
        }
    }

    private FunctionError await(ExecutionEnvironment env, Future<?> phase, Duration timeout, String what) {
        return await(env, phase, timeout, timeout, what);
    }

    /** Waits up to {@code wait} for one phase; a phase still running then is reported as timed out after {@code limit}. */
    private FunctionError await(ExecutionEnvironment env, Future<?> phase, Duration wait, Duration limit, String what) {
        Duration timeout = limit;
        try {
            phase.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (TimeoutException e) {
            phase.cancel(true);
            env.discard();
            LOG.warn("{}: {} timed out after {} s", name(), what, timeout.toSeconds());
            problem("Sandbox.Timedout", what + " timed out after " + timeout.toSeconds() + " s");
            return new FunctionError("Sandbox.Timedout",
                    String.format("Task timed out after %d.00 seconds", timeout.toSeconds()));
        } catch (CancellationException e) {
            return exitError(env);
        } catch (ExecutionException e) {
            if (env.discarded()) {
                return exitError(env);
            }
            Throwable cause = e.getCause();
            logger.log(stackTrace(cause));
            String type = cause instanceof Error ? "Runtime.ExitError" : cause.getClass().getName();
            problem(type, what + " failed: " + cause.getMessage());
            return new FunctionError(type, String.valueOf(cause.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            phase.cancel(true);
            env.discard();
            return new FunctionError("Runtime.Interrupted", "invocation abandoned");
        }
    }

    /** An invocation or init that failed, as the operations page lists it beside the functions' own warnings. */
    private void problem(String type, String message) {
        logs.problems().add(RecentProblems.Problem.failure(name(), type + ": " + message));
    }

    private FunctionError exitError(ExecutionEnvironment env) {
        return new FunctionError("Runtime.ExitError", "execution environment " + env.name() + " was discarded");
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static InvocationResult failure(String requestId, boolean cold, long start, FunctionError error) {
        return new InvocationResult(requestId, null, error, cold, since(start));
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
