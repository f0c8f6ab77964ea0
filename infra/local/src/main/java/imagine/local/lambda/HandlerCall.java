package imagine.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Calls a handler method the way Lambda's Java runtime does: JSON in, the handler's types, JSON out. */
final class HandlerCall {
    private static final String EVENTS_PACKAGE = "com.amazonaws.services.lambda.runtime.events";

    private final Object handler;
    private final Method method;
    private final EventSerialization events;

    private HandlerCall(Object handler, Method method, EventSerialization events) {
        this.handler = handler;
        this.method = method;
        this.events = events;
    }

    /** {@code handlerSpec} is the template's Handler: {@code package.Class::method} or {@code package.Class}. */
    static HandlerCall of(Object handler, String handlerSpec, EventSerialization events) {
        int colons = handlerSpec.indexOf("::");
        String name = colons < 0 ? "handleRequest" : handlerSpec.substring(colons + 2);
        if (handler instanceof RequestStreamHandler && name.equals("handleRequest")) {
            return new HandlerCall(handler, null, events);
        }
        Method method = Arrays.stream(handler.getClass().getMethods())
                .filter(m -> m.getName().equals(name) && !m.isBridge() && !Modifier.isStatic(m.getModifiers()))
                .filter(m -> m.getParameterCount() == 1
                        || m.getParameterCount() == 2 && m.getParameterTypes()[1] == Context.class)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No method " + name + "(input[, Context]) on "
                        + handler.getClass().getName()));
        return new HandlerCall(handler, method, events);
    }

    String call(String eventJson, Context context) throws Throwable {
        try {
            if (method == null) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ((RequestStreamHandler) handler).handleRequest(
                        new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)), out, context);
                return out.toString(StandardCharsets.UTF_8);
            }
            Object input = deserialize(eventJson, method.getGenericParameterTypes()[0]);
            Object output = method.getParameterCount() == 2
                    ? method.invoke(handler, input, context)
                    : method.invoke(handler, input);
            return serialize(output);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private Object deserialize(String json, Type type) {
        if (type instanceof Class<?> cls && isEvent(cls)) {
            return events.fromJson(cls, json);
        }
        return JacksonFactory.getInstance().getSerializer(type).fromJson(json);
    }

    @SuppressWarnings("unchecked")
    private String serialize(Object output) throws IOException {
        if (output == null) {
            return "null";
        }
        Class<Object> cls = (Class<Object>) output.getClass();
        if (isEvent(cls)) {
            return events.toJson(output);
        }
        PojoSerializer<Object> serializer = JacksonFactory.getInstance().getSerializer(cls);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.toJson(output, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isEvent(Class<?> cls) {
        return cls.getName().startsWith(EVENTS_PACKAGE + ".");
    }
}
