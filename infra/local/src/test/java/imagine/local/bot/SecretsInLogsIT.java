package imagine.local.bot;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.local.lambda.FunctionLogs;
import imagine.local.ops.LocalMetrics;
import imagine.local.ops.RecentProblems;
import imagine.local.replicate.Fault;
import imagine.local.telegram.BotMessage;
import imagine.local.telegram.LocalTelegram;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Every line the process prints during a whole exchange (a photo, a refusal, a Telegram failure, a
 * dead letter), finished through Replicate's callbacks as deployed with a PublicUrl, is free of the bot
 * token, the Replicate token, both webhook secrets and token-bearing Telegram URLs: whoever reads the
 * logs gets no way in. The functions' lines are printed as they write them, the JSON lines and metrics CloudWatch
 * holds of a deploy (the readable format shows the same fields).
 */
@Isolated("it reads every line the process prints")
class SecretsInLogsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String REPLICATE_TOKEN = "local-replicate-token";
    private static final Pattern TELEGRAM_URL_WITH_TOKEN = Pattern.compile("/bot\\d+:");

    private static final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private static PrintStream originalOut;
    private static PrintStream originalErr;
    private static LocalBot bot;

    @BeforeAll
    static void captureEveryLineThenStart() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(tee(originalOut));
        System.setErr(tee(originalErr));
        bot = LocalBot.start(LocalBots.PROJECT, LocalBots.quick(Duration.ofMillis(300))
                .withCallbacks(Duration.ofSeconds(20)), Map.of(), new FunctionLogs(FunctionLogs.Format.JSON,
                new LocalMetrics(), new RecentProblems(), System.out));
    }

    @AfterAll
    static void stopThenRestoreTheConsole() {
        try {
            bot.close();
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    @Test
    void noSecretAppearsInAnyLogLineOfAWholeExchange() {
        LocalTelegram telegram = bot.telegram();
        long ann = LocalBots.newUser();
        telegram.userSends(ann, "Ann", "en", "a quiet harbour --n 1");
        telegram.awaitBotMessage(ann, BotMessage::isPhoto, WAIT);

        long ben = LocalBots.newUser();
        telegram.userSends(ben, "Ben", "en", "something dubious #refuse --n 1");
        telegram.awaitBotMessage(ben, text("I could not draw"), WAIT);

        long cid = LocalBots.newUser();
        telegram.failNext("sendPhoto", 429, "Too Many Requests: retry after 1", Map.of("retry_after", 1));
        telegram.userSends(cid, "Cid", "en", "a snail on a leaf --n 1");
        telegram.awaitBotMessage(cid, BotMessage::isPhoto, WAIT);

        long dee = LocalBots.newUser();
        for (int i = 0; i < 5; i++) {
            bot.replicate().failNext("google/imagen-4-ultra", Fault.SERVER_ERROR);
        }
        telegram.userSends(dee, "Dee", "en", "a glass whale --model imagen --n 1");
        telegram.awaitBotMessage(dee, text("Sorry"), WAIT);

        List<String> lines = capturedLines();
        assertThat(lines).as("the functions' own JSON lines were captured")
                .anyMatch(line -> line.startsWith("{") && line.contains("\"message\":\"delivered\""));
        assertThat(lines).as("and their metrics").anyMatch(line -> line.startsWith("{\"_aws\""));
        assertNowhere(lines, "the bot token", telegram.botToken());
        assertNowhere(lines, "the Replicate token", REPLICATE_TOKEN);
        assertNowhere(lines, "the webhook secret", LocalBot.LOCAL_WEBHOOK_SECRET);
        String signingSecret = bot.replicate().webhookSigningSecret();
        assertNowhere(lines, "Replicate's webhook signing secret", signingSecret);
        assertNowhere(lines, "the signing key", signingSecret.substring("whsec_".length()));
        assertThat(lines).as("the results came through Replicate's callbacks")
                .anyMatch(line -> line.contains("\"message\":\"callback handed to a worker\""));
        assertThat(lines.stream().filter(line -> TELEGRAM_URL_WITH_TOKEN.matcher(line).find()).count())
                .as("log lines with a Telegram Bot API URL that carries a token").isZero();
    }

    /** Counts offending lines instead of quoting them, so a failure does not print the secret itself. */
    private static void assertNowhere(List<String> lines, String what, String secret) {
        assertThat(lines.stream().filter(line -> line.contains(secret)).count())
                .as("log lines containing %s", what).isZero();
    }

    private static Predicate<BotMessage> text(String start) {
        return message -> message.text() != null && message.text().startsWith(start);
    }

    private static List<String> capturedLines() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8).lines().toList();
        }
    }

    private static PrintStream tee(PrintStream console) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                console.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                synchronized (captured) {
                    captured.write(bytes, offset, length);
                }
                console.write(bytes, offset, length);
            }

            @Override
            public void flush() {
                console.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }
}
