package imagine.webhook;

import imagine.core.BlockedTerms;
import imagine.core.usage.Units;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the webhook reads from its environment.
 *
 * @param webhookSecret    Telegram's secret_token, or {@code NEW,OLD} while it is rotated (both accepted)
 * @param allowedUserIds   empty lets everyone in
 * @param adminUserIds     always let in, and without a daily quota
 * @param blockedTerms     what no typed prompt may contain
 * @param dailyQuotas      images, videos and texts per user per day (UTC), each 0 = unlimited
 */
record WebhookSettings(
        String webhookSecret,
        String botUsername,
        String defaultModel,
        int imagesPerPrompt,
        Set<Long> allowedUserIds,
        Set<Long> adminUserIds,
        BlockedTerms blockedTerms,
        Units dailyQuotas) {

    static final int MAX_PROMPTS_PER_MESSAGE = 10;
    static final int MAX_PROMPT_LENGTH = 2000;

    WebhookSettings(String webhookSecret, String botUsername, String defaultModel, int imagesPerPrompt,
                    Set<Long> allowedUserIds, Set<Long> adminUserIds) {
        this(webhookSecret, botUsername, defaultModel, imagesPerPrompt, allowedUserIds, adminUserIds, BlockedTerms.NONE,
                Units.NONE);
    }

    static WebhookSettings from(Map<String, String> env) {
        String secret = env.get("TELEGRAM_WEBHOOK_SECRET");
        if (secret == null || secret.isEmpty()) {
            throw new IllegalStateException("TELEGRAM_WEBHOOK_SECRET is not set");
        }
        return new WebhookSettings(
                secret,
                env.getOrDefault("TELEGRAM_BOT_USERNAME", "").replaceFirst("^@", ""),
                env.getOrDefault("DEFAULT_MODEL", "ideogram"),
                Integer.parseInt(env.getOrDefault("IMAGES_PER_PROMPT", "1").trim()),
                ids(env.get("ALLOWED_USER_IDS")),
                ids(env.get("ADMIN_USER_IDS")),
                BlockedTerms.from(env),
                new Units(quota(env, "DAILY_IMAGE_QUOTA"), quota(env, "DAILY_VIDEO_QUOTA"),
                        quota(env, "DAILY_TEXT_QUOTA")));
    }

    /** The secret Telegram is given: the first of {@code NEW,OLD} while the secret is rotated. */
    String currentWebhookSecret() {
        return webhookSecret.split(",")[0].trim();
    }

    boolean admits(long userId) {
        return allowedUserIds.isEmpty() || allowedUserIds.contains(userId) || adminUserIds.contains(userId);
    }

    /** What the user may use per day: nothing limits an admin. */
    Units dailyLimits(long userId) {
        return adminUserIds.contains(userId) ? Units.NONE : dailyQuotas;
    }

    private static int quota(Map<String, String> env, String name) {
        return Integer.parseInt(env.getOrDefault(name, "0").trim());
    }

    private static Set<Long> ids(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(id -> !id.isEmpty())
                .map(Long::valueOf)
                .collect(Collectors.toUnmodifiableSet());
    }
}
