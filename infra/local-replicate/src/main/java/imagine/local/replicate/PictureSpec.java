package imagine.local.replicate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/** What decides a picture: the same spec always draws the same pixels. */
record PictureSpec(String prompt, long seed, String model, ImageSize size) {

    /** The seed from the input, else one derived from the prompt so a prompt alone is reproducible. */
    static long seedOf(Map<String, Object> input, String prompt) {
        if (input.get("seed") instanceof Number seed) {
            return seed.longValue();
        }
        return hash(prompt) & 0x7fffffffL;
    }

    /** The value every random choice of the drawing comes from. */
    long fingerprint() {
        return hash(prompt + '\u0000' + seed + '\u0000' + model);
    }

    private static long hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (digest[i] & 0xff);
            }
            return value;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
