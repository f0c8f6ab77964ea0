package imagine.local.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import imagine.local.replicate.Prediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Two people on the chat page, in headless Chromium, talking to the whole bot at the same time. */
@ResourceLock(LocalBots.STANDARD_LOCK)
class ChatPageEndToEndIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static LocalBot bot;
    private final List<WebDriver> browsers = new ArrayList<>();

    @TempDir
    Path profiles;

    @BeforeAll
    static void start() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "Chromium is not installed");
        bot = LocalBots.shared(LocalBots.STANDARD);
    }

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(WebDriver::quit);
    }

    @Test
    void twoUsersGetTheirPhotosWithoutWaitingForEachOther() throws Exception {
        long aliceId = LocalBots.newUser();
        long borisId = LocalBots.newUser();
        WebDriver alice = openChatAs(aliceId, "Alice", "en");
        WebDriver boris = openChatAs(borisId, "Борис", "ru");
        String fox = "a red fox in the snow " + aliceId;
        String lighthouse = "маяк в сумерках " + borisId;

        send(alice, fox + " --n 1");
        awaitBotText(alice, "Got it: drawing with");
        assertThat(alice.findElements(By.cssSelector("img.photo"))).as("Alice's photo is still being drawn").isEmpty();
        send(boris, lighthouse + " --n 1");
        awaitBotText(boris, "Принято: рисую");

        assertPhotoShown(alice, fox);
        assertPhotoShown(boris, lighthouse);
        assertThat(((JavascriptExecutor) alice).executeScript("return window.notReloaded === true"))
                .as("the page was never reloaded").isEqualTo(true);
        Prediction alices = predictionOf(fox);
        Prediction boriss = predictionOf(lighthouse);
        assertThat(alices.startedAt()).isBefore(boriss.completedAt());
        assertThat(boriss.startedAt()).as("Борис's prediction started before Alice's finished")
                .isBefore(alices.completedAt());

        Files.copy(((TakesScreenshot) alice).getScreenshotAs(OutputType.FILE).toPath(), Path.of("target/chat-page.png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void tappingAModelButtonShowsTheToastUpdatesTheMenuAndTheNextPhotoUsesThatModel() {
        long carolId = LocalBots.newUser();
        WebDriver carol = openChatAs(carolId, "Carol", "en");
        send(carol, "/model");
        awaitBotText(carol, "Model for your prompts: Ideogram v3 Turbo");

        carol.findElements(By.cssSelector(".message.bot .keyboard button")).stream()
                .filter(button -> button.getText().equals("Seedream 3")).findFirst().orElseThrow().click();

        waitIn(carol).until(ExpectedConditions.textToBePresentInElementLocated(By.id("toast"), "Model: Seedream 3."));
        waitIn(carol).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".message.bot .keyboard"),
                "✅ Seedream 3"));
        assertThat(carol.findElement(By.cssSelector(".message.bot .text")).getText())
                .startsWith("Model for your prompts: Seedream 3.");
        String crane = "a paper crane " + carolId;
        send(carol, crane + " --n 1");
        assertPhotoShown(carol, crane);
        assertThat(carol.findElement(By.cssSelector(".message.bot .caption")).getText()).startsWith("1/1 · Seedream 3");
        assertThat(predictionOf(crane).model()).isEqualTo("bytedance/seedream-3");
    }

    @Test
    void aComparisonArrivesAsOneAlbumWithEachPictureCaptionedByItsModel() {
        long danaId = LocalBots.newUser();
        WebDriver dana = openChatAs(danaId, "Dana", "en");
        String harbour = "a harbour at dawn " + danaId;

        send(dana, "/compare " + harbour + " --ar 16:9");

        waitIn(dana).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".message.bot.album .album-item"), 3));
        assertThat(dana.findElements(By.cssSelector(".message.bot.album .album-item figcaption")))
                .extracting(WebElement::getText)
                .containsExactly("Ideogram v3 Turbo\n" + harbour, "Seedream 3", "Imagen 4 Ultra");
        for (WebElement picture : dana.findElements(By.cssSelector(".message.bot.album img.photo"))) {
            waitIn(dana).until(driver -> (Boolean) ((JavascriptExecutor) driver).executeScript(
                    "return arguments[0].complete && arguments[0].naturalWidth > 0", picture));
        }
        assertThat(dana.findElements(By.cssSelector(".message.bot.album"))).hasSize(1);
    }

    /** A browser of its own (own profile, so own storage), on the chat page as this user. */
    private WebDriver openChatAs(long userId, String firstName, String languageCode) {
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless",
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=900,1000",
                "--user-data-dir=" + profiles.resolve(Long.toString(userId)));
        WebDriver browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).build(), options);
        browsers.add(browser);
        browser.get(bot.telegram().baseUrl().toString());
        waitIn(browser).until(ExpectedConditions.elementToBeClickable(By.id("composer")));
        retype(browser.findElement(By.id("user-id")), Long.toString(userId));
        retype(browser.findElement(By.id("first-name")), firstName);
        new Select(browser.findElement(By.id("language-code"))).selectByValue(languageCode);
        ((JavascriptExecutor) browser).executeScript("window.notReloaded = true");
        return browser;
    }

    /** Typing then leaving the field fires the change event the page listens to. */
    private static void retype(WebElement field, String value) {
        field.clear();
        field.sendKeys(value, Keys.TAB);
    }

    private static void send(WebDriver browser, String prompt) {
        browser.findElement(By.id("composer")).sendKeys(prompt, Keys.ENTER);
        waitIn(browser).until(driver -> driver.findElements(By.cssSelector(".message.user .text")).stream()
                .anyMatch(text -> text.getText().contains(prompt)));
    }

    private static void awaitBotText(WebDriver browser, String start) {
        waitIn(browser).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".message.bot .text"),
                start));
    }

    private static void assertPhotoShown(WebDriver browser, String prompt) {
        WebElement photo = waitIn(browser).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".message.bot img.photo")));
        waitIn(browser).until(driver -> (Boolean) ((JavascriptExecutor) driver).executeScript(
                "return arguments[0].complete && arguments[0].naturalWidth > 0", photo));
        assertThat(browser.findElement(By.cssSelector(".message.bot .caption")).getText()).endsWith(prompt);
    }

    private static WebDriverWait waitIn(WebDriver browser) {
        return new WebDriverWait(browser, WAIT);
    }

    private static Prediction predictionOf(String prompt) {
        List<Prediction> predictions = bot.replicate().predictions().stream()
                .filter(prediction -> prompt.equals(prediction.input().get("prompt"))).toList();
        assertThat(predictions).hasSize(1);
        return predictions.get(0);
    }
}
