package imagine.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Telegram's secret_token header check, in time that does not depend on where the values differ. */
final class SecretToken {
    private final byte[] expected;

    SecretToken(String expected) {
        this.expected = expected.getBytes(StandardCharsets.UTF_8);
    }

    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }
}
