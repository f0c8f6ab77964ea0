package imagine.local.lambda;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lambda's own event serialization, one copy per execution environment. On Lambda each environment is
 * its own process; in one JVM the library's shared state would let one function's event classes
 * leak into another's, so every environment loads the library anew over its function's classes.
 */
final class EventSerialization implements AutoCloseable {
    private static final URL LIBRARY = libraryJar();

    private final URLClassLoader loader;
    private final ClassLoader functionLoader;
    private final Method serializerFor;
    private final Method fromJson;
    private final Method toJson;
    /** As Lambda's runtime does, one serializer per event class for the environment's life: building one is costly. */
    private final Map<Class<?>, Object> serializers = new ConcurrentHashMap<>();

    EventSerialization(ClassLoader functionLoader) {
        this.functionLoader = functionLoader;
        this.loader = new URLClassLoader("event-serialization", new URL[] {LIBRARY}, functionLoader);
        try {
            serializerFor = loader.loadClass(LambdaEventSerializers.class.getName())
                    .getMethod("serializerFor", Class.class, ClassLoader.class);
            Class<?> pojoSerializer = loader.loadClass(
                    "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer");
            fromJson = pojoSerializer.getMethod("fromJson", String.class);
            toJson = pojoSerializer.getMethod("toJson", Object.class, OutputStream.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Lambda's event serialization library is unusable", e);
        }
    }

    Object fromJson(Class<?> eventClass, String json) {
        return invoke(fromJson, serializer(eventClass), json);
    }

    String toJson(Object event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        invoke(toJson, serializer(event.getClass()), event, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private Object serializer(Class<?> eventClass) {
        return serializers.computeIfAbsent(eventClass, type -> invoke(serializerFor, null, type, functionLoader));
    }

    private static Object invoke(Method method, Object target, Object... arguments) {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            loader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static URL libraryJar() {
        try {
            return LambdaEventSerializers.class.getProtectionDomain().getCodeSource().getLocation().toURI().toURL();
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
