package imagine.worker;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replicate's webhook signature (the Standard Webhooks scheme): HMAC-SHA256, keyed with the base64 part
 * of the {@code whsec_} secret (the prefix may be left out), over {@code webhook-id.webhook-timestamp.body}; the
 * {@code webhook-signature} header holds one or more space-separated {@code v1,<base64>} entries.
 */
final class ReplicateSignature {
    static final String SECRET_PREFIX = "whsec_";
    /** Deliveries timestamped further than this from now, either way, are refused as replays. */
    static final Duration TOLERANCE = Duration.ofMinutes(5);

    private final SecretKeySpec key;

    /**
     * @param secret the account's signing secret, with or without its {@code whsec_} prefix; null or empty refuses
     *               every delivery (a stack without callbacks)
     * @throws IllegalStateException when the secret is not base64; it never names the secret
     */
    ReplicateSignature(String secret) {
        if (secret == null || secret.isBlank()) {
            this.key = null;
            return;
        }
        String encoded = secret.trim();
        if (encoded.startsWith(SECRET_PREFIX)) {
            encoded = encoded.substring(SECRET_PREFIX.length());
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("REPLICATE_WEBHOOK_SECRET is not base64 (after an optional "
                    + SECRET_PREFIX + ")");
        }
        this.key = new SecretKeySpec(bytes, "HmacSHA256");
    }

    /** Empty when the delivery is authentic and fresh; otherwise why not, fit for a log line. */
    Optional<String> problem(String id, String timestamp, String signatures, byte[] body, Instant now) {
        if (key == null) {
            return Optional.of("REPLICATE_WEBHOOK_SECRET is not set, so no callback can be verified");
        }
        if (id == null || timestamp == null || signatures == null) {
            return Optional.of("missing webhook-id, webhook-timestamp or webhook-signature");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Optional.of("webhook-timestamp is not a number");
        }
        if (Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
            return Optional.of("webhook-timestamp is more than " + TOLERANCE.toMinutes() + " minutes away");
        }
        byte[] expected = sign(id, timestamp.trim(), body);
        for (String entry : signatures.trim().split(" +")) {
            int comma = entry.indexOf(',');
            if (comma < 0 || !"v1".equals(entry.substring(0, comma))) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(entry.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) {
                return Optional.empty();
            }
        }
        return Optional.of("no webhook-signature entry matches");
    }

    byte[] sign(String id, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
