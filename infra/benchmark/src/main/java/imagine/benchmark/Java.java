package imagine.benchmark;

import java.nio.file.Path;

/** The java launcher of the JVM running the benchmark, so child JVMs are the same version. */
final class Java {
    private Java() {
    }

    static String launcher() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
