package imagine.local.replicate;

import java.security.SecureRandom;

/** Random identifiers shaped like Replicate's: 26 lower-case alphanumerics. */
final class Ids {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    static String predictionId() {
        return random(26);
    }

    static String webhookMessageId() {
        return "msg_" + random(27);
    }

    private static String random(int length) {
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
