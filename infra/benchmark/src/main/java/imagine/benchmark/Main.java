package imagine.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import imagine.local.bot.LocalBot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code infra/benchmark/run [--latency SECONDS] [--only SECTIONS] [--simulate-only | --telemetry-only]}: measures
 * the webhook warm, each function's cold start against a floor and what logging and metrics add to it, the fan-out
 * against a single-process baseline and the cost per image (section 4 needs the fan-out of 3), then projects larger
 * loads by simulation, times the first images a new user sees from a fresh start, and measures the CPU time the
 * functions spend per image against the baseline's; prints one Markdown table and writes it to infra/benchmark/RESULTS.md. {@code --only 2,5}
 * runs those sections and writes nothing; {@code --simulate-only} is {@code --only 5}; {@code --telemetry-only}
 * prints the logging and metrics' cold start alone.
 */
public final class Main {
    static final int SECTIONS = 5;
    static final int FIRST_IMAGE = 6;
    static final int CPU_PER_IMAGE = 7;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path project = Path.of(System.getProperty("imagine.project", ".")).toAbsolutePath().normalize();
        Duration latency = Duration.ofSeconds(5);
        Set<Integer> only = new TreeSet<>();
        boolean telemetryOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--latency" -> latency = Duration.ofSeconds(Long.parseLong(args[++i]));
                case "--simulate-only" -> only.add(SECTIONS);
                case "--telemetry-only" -> {
                    telemetryOnly = true;
                    only.add(2);
                }
                case "--only" -> Arrays.stream(args[++i].split(",")).map(String::trim).map(Integer::valueOf)
                        .forEach(only::add);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (use --latency SECONDS, --only SECTIONS, --simulate-only, --telemetry-only)");
            }
        }
        boolean all = only.isEmpty();
        SimulationInputs simulated = SimulationInputs.deployed(latency.toMillis() / 1000.0);
        if (only.equals(Set.of(SECTIONS))) {
            System.out.println(Table.markdown(Simulation.rows(simulated)));
            return;
        }
        Path work = Files.createDirectories(project.resolve("infra/benchmark/target/work"));
        String runtimeClient = Files.readString(project.resolve("infra/benchmark/target/runtime-client-classpath.txt"))
                .strip();
        String embeddedMetrics = Files.readString(
                project.resolve("infra/benchmark/target/embedded-metrics-classpath.txt")).strip();
        List<Row> rows = new ArrayList<>();

        if (all || only.contains(1) || only.contains(2)) {
            try (LocalBot bot = LocalBot.start(project, LocalBot.Settings.forTests(Duration.ZERO).withoutPolling()
                    .withCallbacks(LocalBot.Settings.DEFAULT_CALLBACK_CHECK), Map.of())) {
                List<String> templateOptions = Arrays.asList(
                        bot.platform().functionEnvironment("WebhookFunction").get("JAVA_TOOL_OPTIONS").split("\\s+"));
                if ((all || only.contains(1)) && !telemetryOnly) {
                    progress("1. webhook, warm");
                    rows.addAll(WarmWebhookRun.measure(project, work, templateOptions,
                            "template JIT options " + String.join(" ", templateOptions)));
                    rows.addAll(WarmWebhookRun.measure(project, work, List.of(), "JVM default JIT, for comparison"));
                }
                if ((all || only.contains(2)) && !telemetryOnly) {
                    progress("2. cold starts");
                    rows.addAll(new ColdStart(project, work, bot, runtimeClient).measure());
                    progress(Table.markdown(rows));
                }
                if (all || only.contains(2)) {
                    progress("2. cold start: logging and metrics");
                    rows.addAll(TelemetryColdStart.measure(project, work, String.join(" ", templateOptions),
                            runtimeClient, embeddedMetrics));
                }
            }
        }

        if (all || only.contains(3) || only.contains(4)) {
            progress("3. fan-out with model latency " + latency.toSeconds() + " s");
            try (LocalBot bot = LocalBot.start(project, LocalBot.Settings.forTests(latency)
                    .withParameters(Map.of("WorkerMaximumConcurrency", Integer.toString(FanOutReport.CONCURRENCY)))
                    .withCallbacks(FanOutReport.CALLBACK_CHECK), Map.of())) {
                FanOutReport fanOut = new FanOutReport(bot, latency);
                rows.addAll(fanOut.measure());
                if (all || only.contains(4)) {
                    progress("4. cost per image");
                    JsonNode model = Updates.JSON.readTree(project.resolve(
                            "functions/core/src/main/resources/imagine/models.json").toFile()).get(0);
                    rows.addAll(WorkerCost.measure(project, bot, fanOut.fanOut(), model.get("price_usd").asDouble(),
                            model.get("name").asText(), fanOut.targetAckMedian()));
                }
            }
        }

        if (all || only.contains(SECTIONS)) {
            progress(SECTIONS + ". simulation");
            rows.addAll(Simulation.rows(simulated));
        }

        if (all || only.contains(FIRST_IMAGE)) {
            progress(FIRST_IMAGE + ". first image from a fresh start");
            rows.addAll(new FirstImage(project, latency).measure());
        }

        if (all || only.contains(CPU_PER_IMAGE)) {
            progress(CPU_PER_IMAGE + ". CPU per image, the functions against the baseline");
            rows.addAll(new CpuPerImage(project, latency).measure());
        }

        String table = Table.markdown(rows);
        if (!all) {
            System.out.println(table);
            return;
        }
        String report = "# Benchmark results\n\n"
                + "Run " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                + " with `infra/benchmark/run" + (args.length > 0 ? " " + String.join(" ", args) : "") + "`\n\n"
                + "Machine: " + Machine.current().describe() + "\n\n" + table;
        Files.writeString(project.resolve("infra/benchmark/RESULTS.md"), report);
        System.out.println(report);
    }

    private static void progress(String step) {
        System.err.println("benchmark: " + step + "…");
    }
}
