package imagine.local.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The chat page in headless Chromium, with the test acting as the bot over getUpdates. */
class ChatPageBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String TOKEN = "77:browser";

    private LocalTelegram telegram;
    private BotClient bot;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void start() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "Chromium is not installed");
        telegram = LocalTelegram.start(LocalTelegram.Options.builder().botToken(TOKEN).build());
        bot = new BotClient(telegram.baseUrl(), TOKEN);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1000,1000");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(),
                options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (telegram != null) {
            telegram.close();
        }
    }

    @Test
    void aUserChatsWithTheBot() throws Exception {
        browser.get(telegram.baseUrl().toString());
        wait.until(ExpectedConditions.elementToBeClickable(By.id("composer")));
        long userId = Long.parseLong(browser.findElement(By.id("user-id")).getAttribute("value"));

        WebElement composer = browser.findElement(By.id("composer"));
        composer.sendKeys("a red fox");
        composer.sendKeys(Keys.chord(Keys.SHIFT, Keys.ENTER));
        composer.sendKeys("a whale", Keys.ENTER);
        WebElement mine = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".message.user .text")));
        assertThat(mine.getText()).isEqualTo("a red fox\na whale");

        JsonNode update = bot.call("getUpdates", Map.of()).result().get(0);
        assertThat(update.at("/message/text").asText()).isEqualTo("a red fox\na whale");
        int userMessageId = update.at("/message/message_id").asInt();
        bot.call("sendChatAction", Map.of("chat_id", userId, "action", "upload_photo"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("chat-action"), "sending photo"));
        JsonNode photo = bot.upload("sendPhoto", Map.of("chat_id", Long.toString(userId), "caption", "Here <it> is",
                "reply_parameters", "{\"message_id\":" + userMessageId + "}",
                "reply_markup", "{\"inline_keyboard\":[[{\"text\":\"Again\",\"callback_data\":\"again\"}]]}"),
                "photo", "fox.png", LocalTelegramTest.png(200, 100)).result();

        WebElement image = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".message.bot img.photo")));
        wait.until(driver -> (Boolean) ((JavascriptExecutor) driver).executeScript(
                "return arguments[0].complete && arguments[0].naturalWidth === 200", image));
        assertThat(browser.findElement(By.cssSelector(".message.bot .caption")).getText()).isEqualTo("Here <it> is");
        assertThat(browser.findElement(By.cssSelector(".message.bot .reply-quote")).getText()).contains("a red fox");
        WebElement botMessage = browser.findElement(By.cssSelector(".message.bot"));
        assertThat(botMessage.getAttribute("data-message-id")).isEqualTo(photo.get("message_id").asText());

        browser.findElement(By.cssSelector(".keyboard button")).click();
        JsonNode press = awaitUpdate(update.get("update_id").asLong() + 1);
        assertThat(press.at("/callback_query/data").asText()).isEqualTo("again");
        bot.call("answerCallbackQuery", Map.of("callback_query_id", press.at("/callback_query/id").asText(), "text", "On it"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("toast"), "On it"));

        bot.call("editMessageCaption", Map.of("chat_id", userId, "message_id", photo.get("message_id").asInt(),
                "caption", "Edited"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".message.bot .caption"), "Edited"));
        assertThat(browser.findElements(By.cssSelector(".keyboard button"))).isEmpty();

        bot.call("setMessageReaction", Map.of("chat_id", userId, "message_id", userMessageId,
                "reaction", List.of(Map.of("type", "emoji", "emoji", "👍"))));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".message.user .reactions")));

        bot.call("deleteMessage", Map.of("chat_id", userId, "message_id", photo.get("message_id").asInt()));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".message.bot"), 0));
    }

    @Test
    void aComparisonAlbumShowsAsOneMessageWithEachPictureCaptionedByItsModel() throws Exception {
        browser.get(telegram.baseUrl().toString());
        wait.until(ExpectedConditions.elementToBeClickable(By.id("composer")));
        long userId = Long.parseLong(browser.findElement(By.id("user-id")).getAttribute("value"));
        browser.findElement(By.id("composer")).sendKeys("/compare a lighthouse --ar 16:9", Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".message.user .text")));
        int asked = bot.call("getUpdates", Map.of()).result().get(0).at("/message/message_id").asInt();
        List<String> captions = List.of("Ideogram v3 Turbo\na lighthouse", "Seedream 3", "Imagen 4 Ultra · 16:9");

        JsonNode album = bot.upload("sendMediaGroup", Map.of("chat_id", Long.toString(userId),
                "reply_parameters", "{\"message_id\":" + asked + "}",
                "media", Json.MAPPER.writeValueAsString(List.of(
                        Map.of("type", "photo", "media", "attach://file0", "caption", captions.get(0)),
                        Map.of("type", "photo", "media", "attach://file1", "caption", captions.get(1)),
                        Map.of("type", "photo", "media", "attach://file2", "caption", captions.get(2))))),
                List.of(new BotClient.FilePart("file0", "0.png", LocalTelegramTest.png(160, 90)),
                        new BotClient.FilePart("file1", "1.png", LocalTelegramTest.png(160, 90)),
                        new BotClient.FilePart("file2", "2.png", LocalTelegramTest.png(160, 90)))).result();
        assertThat(album).hasSize(3);

        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".message.bot.album .album-item"), 3));
        assertThat(browser.findElements(By.cssSelector(".message.bot"))).as("one message for the album").hasSize(1);
        WebElement shown = browser.findElement(By.cssSelector(".message.bot.album"));
        assertThat(shown.findElement(By.cssSelector(".reply-quote")).getText()).contains("/compare a lighthouse");
        assertThat(shown.findElements(By.cssSelector(".album-item figcaption")))
                .extracting(WebElement::getText).containsExactlyElementsOf(captions);
        for (WebElement picture : shown.findElements(By.cssSelector(".album-item img.photo"))) {
            wait.until(driver -> (Boolean) ((JavascriptExecutor) driver).executeScript(
                    "return arguments[0].complete && arguments[0].naturalWidth === 160", picture));
        }
        assertThat(shown.findElements(By.cssSelector(".album-item"))).extracting(item -> item.getAttribute(
                "data-message-id")).containsExactly(album.get(0).get("message_id").asText(),
                album.get(1).get("message_id").asText(), album.get(2).get("message_id").asText());

        bot.call("deleteMessage", Map.of("chat_id", userId, "message_id", album.get(1).get("message_id").asInt()));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".message.bot.album .album-item"), 2));
    }

    private JsonNode awaitUpdate(long offset) {
        JsonNode updates = bot.call("getUpdates", Map.of("offset", offset, "timeout", 10)).result();
        assertThat(updates).isNotEmpty();
        return updates.get(0);
    }
}
