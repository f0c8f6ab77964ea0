package imagine.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The webhook handler, warm, on one update, with a queue that drops the jobs: the time and allocation of
 * verifying, parsing, routing and answering, without the SQS round trip. Runs in its own JVM so the JIT
 * options can be the template's; prints one line, {@code RESULT p50 p99 bytesPerCall jobsPerCall calls}.
 */
public final class WarmWebhook {
    static final int WARMUP_CALLS = 40_000;
    static final int TIMED_CALLS = 100_000;
    static final int ALLOCATION_CALLS = 20_000;

    private final Object handler;
    private final Method handle;
    private final Object event;
    private final Object context;
    private final AtomicLong jobs = new AtomicLong();

    private WarmWebhook(IsolatedJar jar, String secret, String apiEventJson) throws Exception {
        Class<?> settingsType = jar.type("imagine.webhook.WebhookSettings");
        Constructor<?> settingsNew = settingsType.getDeclaredConstructor(String.class, String.class, String.class,
                int.class, Set.class, Set.class);
        settingsNew.setAccessible(true);
        Object settings = settingsNew.newInstance(secret, "imagine_local_bot", "ideogram", 1, Set.of(), Set.of());
        Object catalog = jar.type("imagine.core.Catalog").getMethod("load").invoke(null);
        Class<?> queueType = jar.type("imagine.core.JobQueue");
        Object queue = Proxy.newProxyInstance(jar.loader(), new Class<?>[] {queueType}, (proxy, method, args) -> {
            if (method.getName().equals("enqueue")) {
                jobs.addAndGet(((List<?>) args[0]).size());
                return null;
            }
            return defaultValue(method);
        });
        Class<?> usersType = jar.type("imagine.webhook.UserState");
        Object users = grantingEverything(jar, usersType);
        Class<?> editorType = jar.type("imagine.webhook.MessageEditor");
        Object editor = Proxy.newProxyInstance(jar.loader(), new Class<?>[] {editorType},
                (proxy, method, args) -> defaultValue(method));
        Class<?> resultsType = jar.type("imagine.webhook.ResultLookup");
        java.lang.reflect.Field noResults = resultsType.getDeclaredField("NONE");
        noResults.setAccessible(true);
        Class<?> componentsType = jar.type("imagine.webhook.WebhookComponents");
        Constructor<?> componentsNew = componentsType.getDeclaredConstructor(settingsType, catalog.getClass(),
                queueType, usersType, editorType, resultsType);
        componentsNew.setAccessible(true);
        Object components = componentsNew.newInstance(settings, catalog, queue, users, editor, noResults.get(null));
        Class<?> handlerType = jar.type("imagine.webhook.WebhookHandler");
        Constructor<?> handlerNew = handlerType.getDeclaredConstructor(componentsType);
        handlerNew.setAccessible(true);
        handler = handlerNew.newInstance(components);
        Class<?> eventType = jar.type("com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent");
        Class<?> contextType = jar.type("com.amazonaws.services.lambda.runtime.Context");
        handle = handlerType.getDeclaredMethod("answer", eventType, contextType);
        handle.setAccessible(true);
        event = event(eventType, apiEventJson);
        context = silentContext(jar);
    }

    /**
     * User state without S3, like the queue without SQS: default settings, every quota request granted,
     * so the figure is the webhook's own work.
     */
    private static Object grantingEverything(IsolatedJar jar, Class<?> usersType) throws Exception {
        java.lang.reflect.Field defaults = jar.type("imagine.webhook.UserSettings").getDeclaredField("DEFAULTS");
        defaults.setAccessible(true);
        Object defaultSettings = defaults.get(null);
        Class<?> unitsType = jar.type("imagine.core.usage.Units");
        Object noUnits = unitsType.getField("NONE").get(null);
        Constructor<?> takeNew = jar.type("imagine.core.usage.UsageLedger$Take")
                .getDeclaredConstructor(boolean.class, String.class, unitsType);
        return Proxy.newProxyInstance(jar.loader(), new Class<?>[] {usersType}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "settings", "changeSettings" -> defaultSettings;
                    case "take" -> takeNew.newInstance(true, "2026-11-24", args[2]);
                    case "usedToday" -> noUnits;
                    default -> defaultValue(method);
                });
    }

    public static void main(String[] args) throws Exception {
        IsolatedJar jar = IsolatedJar.open(Path.of(args[0]));
        String eventJson = java.nio.file.Files.readString(Path.of(args[1]));
        String secret = Updates.JSON.readTree(eventJson).at("/headers/x-telegram-bot-api-secret-token").asText();
        WarmWebhook bench = new WarmWebhook(jar, secret, eventJson);
        bench.check();
        for (int i = 0; i < WARMUP_CALLS; i++) {
            bench.call();
        }
        long[] nanos = new long[TIMED_CALLS];
        for (int i = 0; i < TIMED_CALLS; i++) {
            long start = System.nanoTime();
            bench.call();
            nanos[i] = System.nanoTime() - start;
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long jobsBefore = bench.jobs.get();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < ALLOCATION_CALLS; i++) {
            bench.call();
        }
        long bytes = (threads.getThreadAllocatedBytes(thread) - before) / ALLOCATION_CALLS;
        long jobsPerCall = (bench.jobs.get() - jobsBefore) / ALLOCATION_CALLS;
        Stats stats = Stats.of(nanos);
        System.out.println("RESULT " + stats.percentile(50) + " " + stats.percentile(99) + " " + bytes + " "
                + jobsPerCall + " " + TIMED_CALLS);
    }

    private Object call() throws Exception {
        return handle.invoke(handler, event, context);
    }

    /** The handler must accept the update and queue jobs, or the timing would measure a refusal. */
    private void check() throws Exception {
        Object response = call();
        Object status = response.getClass().getMethod("getStatusCode").invoke(response);
        if (!Integer.valueOf(200).equals(status) || jobs.get() == 0) {
            throw new IllegalStateException("the webhook did not accept the update: status " + status + " "
                    + response.getClass().getMethod("getBody").invoke(response));
        }
    }

    private static Object event(Class<?> eventType, String apiEventJson) throws Exception {
        JsonNode json = Updates.JSON.readTree(apiEventJson);
        Object event = eventType.getConstructor().newInstance();
        Map<?, ?> headers = Updates.JSON.convertValue(json.get("headers"), Map.class);
        eventType.getMethod("setHeaders", Map.class).invoke(event, headers);
        eventType.getMethod("setBody", String.class).invoke(event, json.get("body").asText());
        eventType.getMethod("setIsBase64Encoded", boolean.class).invoke(event, false);
        return event;
    }

    private static Object silentContext(IsolatedJar jar) {
        Class<?> loggerType = jar.type("com.amazonaws.services.lambda.runtime.LambdaLogger");
        Object logger = Proxy.newProxyInstance(jar.loader(), new Class<?>[] {loggerType},
                (proxy, method, args) -> defaultValue(method));
        InvocationHandler context = (proxy, method, args) ->
                method.getName().equals("getLogger") ? logger : defaultValue(method);
        return Proxy.newProxyInstance(jar.loader(),
                new Class<?>[] {jar.type("com.amazonaws.services.lambda.runtime.Context")}, context);
    }

    private static Object defaultValue(Method method) {
        Class<?> type = method.getReturnType();
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == boolean.class) {
            return false;
        }
        return null;
    }
}
