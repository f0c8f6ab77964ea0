package imagine.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Replicate's signature scheme, checked against a signature computed here independently of the class. */
class ReplicateSignatureTest {
    private static final byte[] KEY = "sixteen byte key, and sixteen more".getBytes(StandardCharsets.UTF_8);
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(KEY);
    private static final byte[] BODY = "{\"id\":\"p1\",\"status\":\"succeeded\"}".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.ofEpochSecond(1_795_514_400L);

    private final ReplicateSignature signature = new ReplicateSignature(SECRET);

    @Test
    void anEntryOfHmacSha256OverIdTimestampAndBodyIsAccepted() throws Exception {
        String valid = "v1," + hmac("msg_1." + NOW.getEpochSecond() + "." + new String(BODY, StandardCharsets.UTF_8));

        assertThat(signature.problem("msg_1", Long.toString(NOW.getEpochSecond()), valid, BODY, NOW)).isEmpty();
        assertThat(signature.problem("msg_1", Long.toString(NOW.getEpochSecond()),
                "v1,AAAA v2,whatever " + valid, BODY, NOW)).as("one of several space-separated entries").isEmpty();
    }

    @Test
    void aWrongIdBodyVersionOrKeyIsRefused() throws Exception {
        String timestamp = Long.toString(NOW.getEpochSecond());
        String signed = hmac("msg_1." + timestamp + "." + new String(BODY, StandardCharsets.UTF_8));

        assertThat(signature.problem("msg_2", timestamp, "v1," + signed, BODY, NOW)).isPresent();
        assertThat(signature.problem("msg_1", timestamp, "v1," + signed, "{}".getBytes(StandardCharsets.UTF_8), NOW))
                .isPresent();
        assertThat(signature.problem("msg_1", timestamp, "v1a," + signed, BODY, NOW)).isPresent();
        assertThat(signature.problem("msg_1", timestamp, "v1,not base64!", BODY, NOW)).isPresent();
        assertThat(signature.problem("msg_1", timestamp, null, BODY, NOW)).isPresent();
        assertThat(new ReplicateSignature("whsec_" + Base64.getEncoder().encodeToString(new byte[24]))
                .problem("msg_1", timestamp, "v1," + signed, BODY, NOW)).isPresent();
        assertThat(new ReplicateSignature("").problem("msg_1", timestamp, "v1," + signed, BODY, NOW))
                .as("no secret configured").isPresent();
    }

    @Test
    void aTimestampMoreThanFiveMinutesAwayIsRefusedEvenWellSigned() throws Exception {
        for (long skew : new long[] {-301, 301}) {
            String timestamp = Long.toString(NOW.getEpochSecond() + skew);
            String signed = "v1," + hmac("msg_1." + timestamp + "." + new String(BODY, StandardCharsets.UTF_8));
            assertThat(signature.problem("msg_1", timestamp, signed, BODY, NOW)).hasValueSatisfying(
                    why -> assertThat(why).contains("5 minutes"));
        }
        String almost = Long.toString(NOW.getEpochSecond() - 299);
        assertThat(signature.problem("msg_1", almost,
                "v1," + hmac("msg_1." + almost + "." + new String(BODY, StandardCharsets.UTF_8)), BODY, NOW)).isEmpty();
    }

    @Test
    void theSecretWorksWithOrWithoutItsWhsecPrefix() throws Exception {
        String timestamp = Long.toString(NOW.getEpochSecond());
        String valid = "v1," + hmac("msg_1." + timestamp + "." + new String(BODY, StandardCharsets.UTF_8));
        ReplicateSignature withoutPrefix = new ReplicateSignature(Base64.getEncoder().encodeToString(KEY));

        assertThat(withoutPrefix.problem("msg_1", timestamp, valid, BODY, NOW)).isEmpty();
        assertThat(signature.problem("msg_1", timestamp, valid, BODY, NOW)).isEmpty();
    }

    @Test
    void aSecretThatIsNotBase64IsAConfigurationErrorThatDoesNotQuoteIt() {
        assertThatThrownBy(() -> new ReplicateSignature("plain-secret-value"))
                .isInstanceOf(IllegalStateException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("plain-secret-value"));
        assertThatThrownBy(() -> new ReplicateSignature("whsec_plain-secret-value"))
                .isInstanceOf(IllegalStateException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("plain-secret-value"));
    }

    private static String hmac(String content) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
    }
}
