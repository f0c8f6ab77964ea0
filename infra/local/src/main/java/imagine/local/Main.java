package imagine.local;

import imagine.local.bot.LocalBot;
import imagine.local.bot.WebhookInUse;
import imagine.local.lambda.FunctionLogs;
import imagine.local.lambda.InvocationResult;
import imagine.local.ops.LocalMetrics;
import imagine.local.ops.RecentProblems;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code imagine run}: the whole bot on this machine, with a chat page.
 * {@code imagine invoke <Function> -e <event.json>}: one function on one event, like {@code sam local invoke}.
 * {@code imagine smoke --stack NAME}: a deployed bot checked from outside.
 */
public final class Main {
    private static final String USAGE = """
            usage: imagine run [--latency SECONDS] [--fresh] [--state DIR] [--polling] [--listen ADDRESS]
                              [--api-port PORT | --no-api] [--log-format text|json] [--take-over-webhook]
                              [--budget USD] [--cold]
                   imagine status [--stack NAME [--region REGION]]
                   imagine invoke <FunctionLogicalId> -e <event.json>
                   imagine smoke --stack NAME [--region REGION] | --api-url URL""";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path project = Path.of(System.getProperty("imagine.project", ".")).toAbsolutePath().normalize();
        if (args.length >= 1 && args[0].equals("run")) {
            run(project, args);
        } else if (args.length == 4 && args[0].equals("invoke") && args[2].equals("-e")) {
            invoke(project, args[1], Path.of(args[3]));
        } else if (args.length >= 1 && args[0].equals("status")) {
            System.exit(status(args) ? 0 : 1);
        } else if (args.length >= 3 && args[0].equals("smoke")) {
            System.exit(smoke(args) ? 0 : 1);
        } else {
            System.err.println(USAGE);
            System.exit(2);
        }
    }

    private static void run(Path project, String[] args) throws Exception {
        Path state = project.resolve(".local");
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals("--state")) {
                state = Path.of(args[i + 1]).toAbsolutePath();
            }
        }
        LocalBot.Settings settings = LocalBot.Settings.interactive(state);
        LocalBot.Network network = settings.network();
        FunctionLogs.Format logFormat = FunctionLogs.Format.TEXT;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--latency" -> settings = settings.withModelLatency(
                        Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000)));
                case "--fresh" -> deleteRecursively(state);
                case "--state" -> i++;
                case "--polling" -> settings = settings.withPolling();
                case "--listen" -> network = network.withListenAddress(args[++i]);
                case "--api-port" -> network = network.withApiPort(Integer.parseInt(args[++i]));
                case "--no-api" -> network = network.withApiPort(Options.NO_API);
                case "--cold" -> settings = settings.withStartAhead(0);
                case "--take-over-webhook" -> settings = settings.withWebhookTakenOver();
                case "--budget" -> settings = settings.withParameters(Map.of("DailyBudgetUsd", args[++i]));
                case "--log-format" -> logFormat = FunctionLogs.Format.valueOf(args[++i].toUpperCase(Locale.ROOT));
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
            }
        }
        settings = settings.withNetwork(network);
        CountDownLatch stopped = new CountDownLatch(1);
        FunctionLogs logs = new FunctionLogs(logFormat, new LocalMetrics(), new RecentProblems(), System.out);
        LocalBot bot;
        try {
            bot = LocalBot.start(project, settings, System.getenv(), logs);
        } catch (WebhookInUse deployed) {
            System.err.println(deployed.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping…");
            bot.close();
            stopped.countDown();
        }));
        System.out.println();
        System.out.println("Webhook: " + bot.webhookUrl() + (network.apiPort() == Options.NO_API
                ? "   (no API stand-in: sam local start-api serves it)" : "   (API Gateway stand-in)"));
        if (!network.listenAddress().equals(Options.LOOPBACK)) {
            System.out.println("Listening on " + network.listenAddress() + ": Telegram " + network.chatPort()
                    + ", model " + network.modelPort() + ", SQS " + network.sqsPort() + ", S3 " + network.s3Port()
                    + ", CloudFormation answers " + network.cloudFormationPort());
        }
        if (bot.telegram() != null) {
            System.out.println("Open " + bot.telegram().baseUrl() + " to chat with the bot");
        } else {
            System.out.println("Talking to the Telegram configured by TELEGRAM_BOT_TOKEN / TELEGRAM_API_URL");
        }
        System.out.println("Ctrl-C stops it; media and chat files are kept in "
                + (state.startsWith(project) ? project.relativize(state) : state) + "/");
        stopped.await();
    }

    private static void invoke(Path project, String function, Path event) {
        try (LocalBot bot = LocalBot.start(project, LocalBot.Settings.forTests(Duration.ofMillis(500))
                .withoutPolling(), System.getenv())) {
            InvocationResult result = Invoke.run(bot.platform(), function, event.toAbsolutePath());
            System.out.println(result.responseJson());
        }
    }

    private static boolean smoke(String[] args) throws InterruptedException {
        String stack = null;
        String region = null;
        URI apiUrl = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--stack" -> stack = args[++i];
                case "--region" -> region = args[++i];
                case "--api-url" -> apiUrl = URI.create(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
            }
        }
        if (apiUrl == null && stack == null) {
            throw new IllegalArgumentException("smoke needs --stack NAME or --api-url URL\n" + USAGE);
        }
        if (apiUrl == null) {
            apiUrl = Smoke.apiUrlOf(stack, region);
        }
        System.out.println("Checking the bot behind " + apiUrl);
        List<Smoke.Check> checks = new Smoke(Clock.systemUTC()).run(Smoke.Target.of(apiUrl, System.getenv()));
        checks.forEach(System.out::println);
        return checks.stream().allMatch(Smoke.Check::passed);
    }

    /** Without --stack: the platform that {@code imagine run} runs here; with it, the deployed stack. */
    private static boolean status(String[] args) throws Exception {
        String stack = null;
        String region = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--stack" -> stack = args[++i];
                case "--region" -> region = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
            }
        }
        Status.Report report;
        try {
            report = stack == null
                    ? Status.local(URI.create("http://127.0.0.1:" + LocalBot.Network.FIXED.chatPort()))
                    : Status.stack(stack, Status.Aws.of(region), System.getenv());
        } catch (IOException unreachable) {
            System.err.println(unreachable.getMessage());
            return false;
        }
        System.out.println(report.title());
        report.health().lines().forEach(line -> System.out.println("  " + line));
        return true;
    }

    private static void deleteRecursively(Path directory) throws Exception {
        if (Files.exists(directory)) {
            try (var paths = Files.walk(directory)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
