package imagine.local.bot;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.local.Smoke;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** infra/imagine smoke against the local platform, as against a deployed stack in callback mode. */
class SmokeIT {
    private static LocalBot bot;

    @BeforeAll
    static void start() {
        bot = LocalBot.start(Path.of("../.."), LocalBot.Settings.forTests(Duration.ofSeconds(1))
                .withCallbacks(Duration.ofSeconds(30)), Map.of());
    }

    @AfterAll
    static void stop() {
        bot.close();
    }

    private static Smoke.Target target(URI apiUrl, String webhookSecret) {
        return Smoke.Target.of(apiUrl, Map.of(
                "TELEGRAM_API_URL", bot.telegram().baseUrl().toString(),
                "TELEGRAM_BOT_TOKEN", bot.telegram().botToken(),
                "TELEGRAM_WEBHOOK_SECRET", webhookSecret,
                "REPLICATE_API_URL", bot.replicate().baseUrl().toString(),
                "REPLICATE_API_TOKEN", LocalBot.LOCAL_REPLICATE_TOKEN));
    }

    private static List<Smoke.Check> smoke(Smoke.Target target) throws InterruptedException {
        return new Smoke(Clock.systemUTC()).run(target);
    }

    @Test
    void aBotThatWorksPassesEveryCheckAndNothingIsSentOrPaidFor() throws InterruptedException {
        List<Smoke.Check> checks = smoke(target(bot.platform().apiUrl(), LocalBot.LOCAL_WEBHOOK_SECRET));

        assertThat(checks).hasSize(5).allSatisfy(check -> assertThat(check.passed()).as(check.toString()).isTrue());
        assertThat(bot.replicate().predictions()).as("no prediction").isEmpty();
        assertThat(bot.telegram().botMessages(1)).as("nothing sent to the synthetic user").isEmpty();
    }

    @Test
    void aSecretTheStackDoesNotHaveOrAnotherApiFailsAndNoSecretIsShown() throws InterruptedException {
        List<Smoke.Check> wrongSecret = smoke(target(bot.platform().apiUrl(), "a-secret-the-stack-lacks"));
        List<Smoke.Check> elsewhere = smoke(target(URI.create("http://127.0.0.1:9"), LocalBot.LOCAL_WEBHOOK_SECRET));

        assertThat(wrongSecret).filteredOn(check -> !check.passed()).extracting(Smoke.Check::name)
                .containsExactly("an update with the secret is answered");
        assertThat(elsewhere.get(0).passed()).as("Telegram delivers to another URL").isFalse();
        assertThat(elsewhere.get(0).seen()).contains("not http://127.0.0.1:9/telegram");
        assertThat(elsewhere).filteredOn(Smoke.Check::passed).isEmpty();
        assertThat(wrongSecret.toString() + elsewhere).doesNotContain(bot.telegram().botToken(),
                LocalBot.LOCAL_WEBHOOK_SECRET, LocalBot.LOCAL_REPLICATE_TOKEN, LocalBot.LOCAL_SIGNING_SECRET);
    }
}
