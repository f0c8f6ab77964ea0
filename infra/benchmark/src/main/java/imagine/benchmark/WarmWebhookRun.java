package imagine.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@link WarmWebhook} in a child JVM with given options and reads its result line. */
final class WarmWebhookRun {
    private static final long TARGET_NANOS = 1_000_000;

    private WarmWebhookRun() {
    }

    static List<Row> measure(Path project, Path work, List<String> jvmOptions, String label) throws Exception {
        Path jar = project.resolve("functions/webhook/target/imagine-webhook.jar");
        Path event = work.resolve("webhook-four-prompts.json");
        Files.writeString(event, Updates.apiEvent(project, Updates.text(700001, 1001, 11, Updates.FOUR_PROMPTS)));
        List<String> command = new ArrayList<>(List.of(Java.launcher()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), WarmWebhook.class.getName(),
                jar.toString(), event.toString()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0 || !output.contains("RESULT ")) {
            throw new IOException("warm webhook run failed: " + output);
        }
        String[] f = output.substring(output.indexOf("RESULT ")).strip().split(" ");
        long p50 = Long.parseLong(f[1]);
        long p99 = Long.parseLong(f[2]);
        String section = "1. webhook warm (" + label + ")";
        return List.of(
                new Row(section, "time per /imagine update, 4 prompts → " + f[4] + " jobs, p50 / p99 over "
                        + f[5] + " calls after " + WarmWebhook.WARMUP_CALLS + " warm-up calls",
                        Stats.millis(p50) + " / " + Stats.millis(p99),
                        "p99 < 1 ms: " + (p99 < TARGET_NANOS ? "met" : "NOT met")),
                Row.of(section, "bytes allocated per update (ThreadMXBean)", f[3] + " B"));
    }
}
