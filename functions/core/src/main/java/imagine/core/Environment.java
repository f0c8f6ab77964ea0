package imagine.core;

import java.util.Map;

/**
 * The function's environment variables. On Lambda these are the process environment. The local
 * platform runs several functions in one JVM, each in its own class loader with its own copy of
 * this class, and gives each the variables the template gives it through {@link #use(Map)}.
 */
public final class Environment {
    private static volatile Map<String, String> variables = System.getenv();

    private Environment() {
    }

    public static Map<String, String> variables() {
        return variables;
    }

    /** Replaces the variables this class loader's functions see. */
    public static void use(Map<String, String> replacement) {
        variables = Map.copyOf(replacement);
    }
}
