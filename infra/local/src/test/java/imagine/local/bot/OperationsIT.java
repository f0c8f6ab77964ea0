package imagine.local.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import imagine.local.Status;
import imagine.local.Waits;
import imagine.local.ops.Health;
import imagine.local.replicate.Fault;
import imagine.local.telegram.BotMessage;
import imagine.local.telegram.LocalTelegram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What an operator sees after a run of prompts, a refusal and a dead letter on the local platform: the admin's
 * /stats, {@code infra/imagine status} and the operations page in headless Chromium all show the same day. The bot is
 * its own: the test reads all of its day.
 */
class OperationsIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long ADMIN = 4200;

    private static LocalBot bot;

    @TempDir
    Path profile;

    @BeforeAll
    static void start() {
        bot = LocalBots.own(LocalBots.quick(Duration.ofMillis(300)).withParameters(Map.of(
                "AdminUserIds", Long.toString(ADMIN), "BlockedTerms", "gore", "DailyBudgetUsd", "5")));
    }

    @AfterAll
    static void stop() {
        if (bot != null) {
            bot.close();
        }
    }

    @Test
    void statsStatusAndTheOperationsPageShowARunOfPromptsARefusalAndADeadLetter() throws Exception {
        LocalTelegram telegram = bot.telegram();
        telegram.userSends(4201, "Ann", "en", "a red fox in the snow\na blue whale at night");
        telegram.awaitBotMessages(4201, 2, BotMessage::isPhoto, WAIT);
        telegram.userSends(4202, "Ben", "en", "a gore scene");
        telegram.awaitBotMessage(4202, text("I can't take"), WAIT);
        for (int i = 0; i < 5; i++) {
            bot.replicate().failNext("google/imagen-4-ultra", Fault.SERVER_ERROR);
        }
        telegram.userSends(4203, "Cid", "en", "a glass whale --model imagen");
        telegram.awaitBotMessage(4203, text("Sorry"), WAIT);
        // Counted once the dead letter is dealt with, after its user is told.
        Waits.await("the dead letter counted").atMost(WAIT)
                .until(() -> Status.local(telegram.baseUrl()).health().counts().getOrDefault("dead_letters", 0L) == 1);

        telegram.userSends(ADMIN, "Dee", "en", "/stats");
        String stats = telegram.awaitBotMessage(ADMIN, text("Today"), WAIT).text();
        assertThat(stats).contains("Images: Ideogram v3 Turbo 2", "blocked term 1", "failed: 1 · dead letters: 1",
                "Spent: $0.12 of $5.00 (2%)", "Queue: ");

        Health health = Status.local(telegram.baseUrl()).health();
        assertThat(health.counts()).containsEntry("results.ideogram", 2L).containsEntry("refusals.blocked_term", 1L)
                .containsEntry("dead_letters", 1L).containsEntry("failed.imagen", 1L);
        // Two images, and the one given up on: a dead letter's prediction may have been charged, so it stays counted.
        assertThat(health.spent().microUsd()).isEqualTo(120_000);
        assertThat(health.lines()).anyMatch(line -> line.startsWith("Jobs queue: "));

        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "Chromium is not installed");
        WebDriver browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).build(), new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run",
                        "--user-data-dir=" + profile));
        try {
            browser.get(telegram.baseUrl() + "/ops");
            // The page redraws itself every few seconds: an element read across a redraw is read again.
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            wait.ignoring(StaleElementReferenceException.class);
            List<String> ideogram = wait.until(page -> {
                List<String> cells = cells(page, "ideogram");
                return cells.size() < 5 ? null : cells.subList(0, 5);
            });
            String deadLetters = wait.until(page -> text(page, "today-dead-letters"));
            String spent = wait.until(page -> text(page, "spent"));
            String webhook = wait.until(page -> text(page, "webhook"));
            String waiting = wait.until(page -> text(page, "queue-waiting"));
            int problems = wait.until(page -> page.findElements(
                    By.cssSelector("#errors li.level-WARN, #errors li.level-ERROR")).size());
            assertThat(ideogram).containsExactly("ideogram", "2", "2", "0", "0");
            assertThat(deadLetters).isEqualTo("1");
            assertThat(spent).isEqualTo("$0.12");
            assertThat(webhook).contains("refused: blocked_term 1");
            assertThat(waiting).matches("\\d+");
            assertThat(problems).as("the failing model's retries are among the recent problems").isPositive();
        } finally {
            browser.quit();
        }
    }

    private static String text(WebDriver page, String id) {
        return page.findElement(By.id(id)).getText();
    }

    private static List<String> cells(WebDriver page, String model) {
        return page.findElements(By.cssSelector("#models tr[data-model='" + model + "'] td")).stream()
                .map(WebElement::getText).toList();
    }

    private static Predicate<BotMessage> text(String start) {
        return message -> message.text() != null && message.text().startsWith(start);
    }
}
