package imagine.worker;

import imagine.worker.telegram.TelegramClient;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Points Telegram at the webhook with its secret, and sets the command menu in English and Russian. */
final class Registration {
    static final List<String> ALLOWED_UPDATES = List.of("message", "callback_query");

    private static final List<Map<String, String>> COMMANDS_EN = List.of(
            Map.of("command", "imagine", "description", "Draw a picture from a description"),
            Map.of("command", "compare", "description", "Every image model draws your prompt at once"),
            Map.of("command", "video", "description", "Make a video from a prompt, or animate a photo"),
            Map.of("command", "idea", "description", "Write prompts from an idea and draw each"),
            Map.of("command", "write", "description", "Write a post, caption or description"),
            Map.of("command", "model", "description", "Choose the model"),
            Map.of("command", "settings", "description", "Aspect ratio, images per prompt, photo or file"),
            Map.of("command", "usage", "description", "What you used today"),
            Map.of("command", "cancel", "description", "Stop what you asked for"),
            Map.of("command", "forget", "description", "See and delete what the bot keeps about you"),
            Map.of("command", "help", "description", "What the bot can do"),
            Map.of("command", "start", "description", "Start"));
    private static final List<Map<String, String>> COMMANDS_RU = List.of(
            Map.of("command", "imagine", "description", "Нарисовать картинку по описанию"),
            Map.of("command", "compare", "description", "Все модели картинок рисуют ваш запрос сразу"),
            Map.of("command", "video", "description", "Видео по запросу или оживить фото"),
            Map.of("command", "idea", "description", "Придумать запросы по идее и нарисовать каждый"),
            Map.of("command", "write", "description", "Написать пост, подпись или описание"),
            Map.of("command", "model", "description", "Выбрать модель"),
            Map.of("command", "settings", "description", "Пропорции, число картинок, фото или файл"),
            Map.of("command", "usage", "description", "Сколько использовано сегодня"),
            Map.of("command", "cancel", "description", "Остановить то, что просили"),
            Map.of("command", "forget", "description", "Что бот хранит о вас, и удалить это"),
            Map.of("command", "help", "description", "Что умеет бот"),
            Map.of("command", "start", "description", "Начать"));

    private final TelegramClient telegram;

    Registration(TelegramClient telegram) {
        this.telegram = telegram;
    }

    void register(String webhookUrl, String secret) throws IOException {
        telegram.call("setWebhook", Map.of("url", webhookUrl, "secret_token", secret,
                "allowed_updates", ALLOWED_UPDATES, "max_connections", 100), Boolean.class);
        telegram.call("setMyCommands", Map.of("commands", COMMANDS_EN), Boolean.class);
        telegram.call("setMyCommands", Map.of("commands", COMMANDS_RU, "language_code", "ru"), Boolean.class);
    }

    void unregister() throws IOException {
        telegram.call("deleteWebhook", Map.of(), Boolean.class);
    }
}
