package imagine.core.telegram;

import java.util.Map;

/** Where the Bot API is: {@code TELEGRAM_API_URL}, or Telegram's own when it is not set. */
public final class TelegramApi {
    public static final String DEFAULT_URL = "https://api.telegram.org";

    private TelegramApi() {
    }

    public static String url(Map<String, String> env) {
        String url = env.get("TELEGRAM_API_URL");
        return url == null || url.isBlank() ? DEFAULT_URL : url.trim();
    }
}
