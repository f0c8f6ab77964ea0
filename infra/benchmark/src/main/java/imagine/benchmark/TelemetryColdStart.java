package imagine.benchmark;

import imagine.benchmark.probe.Bare;
import imagine.benchmark.probe.LibraryMetrics;
import imagine.benchmark.probe.LogLine;
import imagine.benchmark.probe.OwnMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What logging and metrics add to a cold start. Handlers that do only that ({@link imagine.benchmark.probe}) run in
 * fresh JVMs through Lambda's runtime client, beside the webhook's jar (so they load the same libraries from the same
 * place), with the JSON log format and the template's JAVA_TOOL_OPTIONS: nothing; one structured log line; the line and
 * a prediction's metrics written as EMF by the bot's own code (what the functions do); the same metrics through AWS's
 * aws-embedded-metrics library (the alternative).
 */
final class TelemetryColdStart {
    static final int RUNS = 7;
    private static final String SECTION = "2. cold start: logging and metrics";

    private TelemetryColdStart() {
    }

    /** @param libraryClasspath aws-embedded-metrics and what it needs beside the webhook's jar */
    static List<Row> measure(Path project, Path work, String javaToolOptions, String runtimeClientClasspath,
                             String libraryClasspath) throws Exception {
        Path jni = ColdStart.extractJni(work, runtimeClientClasspath);
        String classpath = String.join(":", project.resolve("functions/webhook/target/imagine-webhook.jar").toString(),
                Path.of(Bare.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString(),
                libraryClasspath);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JAVA_TOOL_OPTIONS", javaToolOptions);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_LAMBDA_FUNCTION_NAME", "probe");
        env.put("AWS_LAMBDA_LOG_FORMAT", "JSON");
        env.put("AWS_LAMBDA_LOG_LEVEL", "INFO");
        env.put("METRICS_NAMESPACE", "Imagine/benchmark");
        Path log = work.resolve("telemetry-probes.log");
        Files.deleteIfExists(log);

        Map<String, Class<?>> probes = new LinkedHashMap<>();
        probes.put("nothing (the baseline)", Bare.class);
        probes.put("one structured log line", LogLine.class);
        probes.put("the line and a prediction's metrics, EMF written by the bot's code (as the functions do)",
                OwnMetrics.class);
        probes.put("the line and the same metrics through aws-embedded-metrics", LibraryMetrics.class);
        Map<String, LambdaProcess> lambdas = new LinkedHashMap<>();
        Map<String, List<Long>> first = new LinkedHashMap<>();
        for (Map.Entry<String, Class<?>> probe : probes.entrySet()) {
            LambdaProcess lambda = new LambdaProcess(classpath, probe.getValue().getName(), env,
                    runtimeClientClasspath, jni);
            lambda.run("{}", List.of(), log, 30);
            lambdas.put(probe.getKey(), lambda);
            first.put(probe.getKey(), new ArrayList<>());
        }
        // Round by round, so a busy moment of the machine weighs on every probe alike.
        for (int i = 0; i < RUNS; i++) {
            for (Map.Entry<String, LambdaProcess> lambda : lambdas.entrySet()) {
                first.get(lambda.getKey()).add(lambda.getValue().run("{}", List.of(), log, 30).firstResponseNanos());
            }
        }
        Map<String, Long> medians = new LinkedHashMap<>();
        first.forEach((probe, nanos) -> medians.put(probe, Stats.of(nanos).median()));
        long baseline = medians.values().iterator().next();
        List<Row> rows = new ArrayList<>();
        medians.forEach((probe, median) -> rows.add(Row.of(SECTION, "process start → first response, median of "
                + RUNS + ": " + probe, Stats.millis(median) + (median == baseline ? ""
                : " (" + (median > baseline ? "+" : "−") + Stats.millis(Math.abs(median - baseline)) + ")"))));
        return rows;
    }
}
