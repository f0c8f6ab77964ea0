package imagine.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/** A function's shaded jar with its own class loader over the JDK alone, as Lambda loads it. */
record IsolatedJar(Path jar, ClassLoader loader) {

    static IsolatedJar open(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no jar at " + jar + " (mvn -B -q -o package -DskipTests at the top)");
        }
        try {
            return new IsolatedJar(jar, new URLClassLoader("function", new URL[] {jar.toUri().toURL()},
                    ClassLoader.getPlatformClassLoader()));
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    Class<?> type(String name) {
        try {
            return Class.forName(name, true, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(name + " is not in " + jar, e);
        }
    }

    static long size(Path jar) {
        try {
            return Files.size(jar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
