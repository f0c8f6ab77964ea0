package imagine.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/**
 * Telegram's secret_token header check, in time that does not depend on where the values differ. The setting may
 * be {@code NEW,OLD} while the secret is rotated: either is accepted, so no update is refused while setWebhook
 * switches Telegram from the old to the new one.
 */
final class SecretToken {
    private final List<byte[]> accepted;

    SecretToken(String secrets) {
        this.accepted = Arrays.stream(secrets.split(","))
                .map(String::trim)
                .filter(secret -> !secret.isEmpty())
                .map(secret -> secret.getBytes(StandardCharsets.UTF_8))
                .toList();
    }

    boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        byte[] given = presented.getBytes(StandardCharsets.UTF_8);
        boolean matched = false;
        for (byte[] secret : accepted) {
            matched |= MessageDigest.isEqual(secret, given);
        }
        return matched;
    }
}
