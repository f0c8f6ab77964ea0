package imagine.local.replicate;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs webhook deliveries the Standard Webhooks way Replicate uses: HMAC-SHA256 over "id.timestamp.body". */
final class WebhookSigner {
    static final String PREFIX = "whsec_";

    private final byte[] key;

    WebhookSigner(String secret) {
        if (!secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a webhook signing secret starts with " + PREFIX);
        }
        this.key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    }

    static String newSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    String sign(String messageId, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((messageId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
