package imagine.core;

import java.util.Map;

public final class Environment {
    private static volatile Map<String, String> variables = Map.of();

    private Environment() {
    }

    public static void use(Map<String, String> values) {
        variables = Map.copyOf(values);
    }

    public static String get(String name) {
        return variables.get(name);
    }
}
