package imagine.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.joda.time.DateTime;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a small function jar, shaded like the real ones: the handlers under test resources {@code testfn/src}
 * (compiled here) plus the Lambda core and events libraries and joda-time, which the events bring.
 */
final class TestFunctions {
    private static Path jar;

    private TestFunctions() {
    }

    static synchronized Path jar() {
        if (jar == null) {
            try {
                jar = build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return jar;
    }

    private static Path build() throws IOException {
        Path sources = resource("testfn/src");
        Path classes = Files.createTempDirectory("testfn-classes");
        List<String> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
        }
        String classpath = library(RequestHandler.class) + File.pathSeparator + library(SQSEvent.class);
        List<String> arguments = new ArrayList<>(List.of("--release", "17", "-d", classes.toString(),
                "-cp", classpath));
        arguments.addAll(files);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac.run(null, null, null, arguments.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("test functions do not compile");
        }
        Path out = Files.createTempFile("testfn", ".jar");
        Set<String> written = new HashSet<>();
        try (JarOutputStream jarOut = new JarOutputStream(Files.newOutputStream(out));
                Stream<Path> walk = Files.walk(classes)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String name = classes.relativize(file).toString().replace('\\', '/');
                add(jarOut, written, name, Files.newInputStream(file));
            }
            for (Path library : List.of(library(RequestHandler.class), library(SQSEvent.class), library(DateTime.class))) {
                try (JarFile libraryJar = new JarFile(library.toFile())) {
                    for (JarEntry entry : Collections.list(libraryJar.entries())) {
                        if (!entry.isDirectory() && entry.getName().endsWith(".class")) {
                            add(jarOut, written, entry.getName(), libraryJar.getInputStream(entry));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static void add(JarOutputStream jar, Set<String> written, String name, InputStream in) throws IOException {
        try (in) {
            if (written.add(name)) {
                jar.putNextEntry(new JarEntry(name));
                in.transferTo(jar);
                jar.closeEntry();
            }
        }
    }

    /** The jar the class comes from. */
    private static Path library(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path resource(String name) {
        try {
            return Path.of(TestFunctions.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
