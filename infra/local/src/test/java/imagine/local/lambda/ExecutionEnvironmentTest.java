package imagine.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Execution environments over one jar keep apart: one discarded does not break another's reading of its resources. */
class ExecutionEnvironmentTest {
    private static final int SIZE = 200_000;

    @Test
    void closingOneEnvironmentsLoaderLeavesAnothersResourceReadsWhole(@TempDir Path directory) throws Exception {
        Path jar = directory.resolve("function.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("imagine/models.json"));
            out.write(new byte[SIZE]);
            out.closeEntry();
        }
        URLClassLoader reading = ExecutionEnvironment.loader("WorkerFunction-env-1", jar);
        URLClassLoader discarded = ExecutionEnvironment.loader("WorkerFunction-env-2", jar);

        try (InputStream catalog = reading.getResourceAsStream("imagine/models.json")) {
            byte[] start = catalog.readNBytes(10);
            try (InputStream other = discarded.getResourceAsStream("imagine/models.json")) {
                other.readNBytes(10);
            }
            discarded.close();

            assertThat(start.length + catalog.readAllBytes().length).isEqualTo(SIZE);
        } finally {
            reading.close();
        }
    }
}
