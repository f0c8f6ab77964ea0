package imagine.local.replicate;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookTest {
    record Delivery(String id, String timestamp, String signature, String body) {
    }

    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    private final AtomicInteger failuresToAnswer = new AtomicInteger();
    private HttpServer receiver;
    private LocalReplicate replicate;
    private Api api;

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            deliveries.add(new Delivery(exchange.getRequestHeaders().getFirst("webhook-id"),
                exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                exchange.getRequestHeaders().getFirst("webhook-signature"), body));
            exchange.sendResponseHeaders(failuresToAnswer.getAndDecrement() > 0 ? 500 : 204, -1);
            exchange.close();
        });
        receiver.start();
        replicate = LocalReplicate.start(LocalReplicate.Options.builder()
            .latency(Duration.ofMillis(200)).jitter(0).pictureLongSide(Models.SMALL_PICTURES).build());
        api = new Api(replicate.baseUrl(), "token");
    }

    @AfterEach
    void stop() {
        replicate.close();
        receiver.stop(0);
    }

    private String hook() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    @Test
    void aCompletedPredictionIsPostedSignedAndRetriedUnderTheSameId() throws Exception {
        failuresToAnswer.set(1);
        String body = "{\"input\":{\"prompt\":\"a fox\"},\"webhook\":\"" + hook()
            + "\",\"webhook_events_filter\":[\"completed\"]}";

        String id = api.post("/v1/models/any/model/predictions", body, null).body().get("id").asText();

        Delivery first = deliveries.poll(10, TimeUnit.SECONDS);
        Delivery retry = deliveries.poll(10, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(retry).isNotNull();
        assertThat(first.id()).startsWith("msg_").isEqualTo(retry.id());
        for (Delivery delivery : List.of(first, retry)) {
            assertThat(verify(replicate.webhookSigningSecret(), delivery)).isTrue();
            var prediction = Api.JSON.readTree(delivery.body());
            assertThat(prediction.get("id").asText()).isEqualTo(id);
            assertThat(prediction.get("status").asText()).isEqualTo("succeeded");
            assertThat(prediction.get("output").asText()).endsWith("/output.png");
        }
        assertThat(deliveries.poll(1, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void cuedWebhooksComeTwiceAtOnceLateOrBeforeTheCreateCallReturns() throws Exception {
        String body = "{\"input\":{\"prompt\":\"a fox\"},\"webhook\":\"" + hook()
            + "\",\"webhook_events_filter\":[\"completed\"]}";

        replicate.cueWebhooks(WebhookCue.twice());
        api.post("/v1/models/any/model/predictions", body, null);
        Delivery one = deliveries.poll(10, TimeUnit.SECONDS);
        Delivery two = deliveries.poll(10, TimeUnit.SECONDS);
        assertThat(two).isNotNull();
        assertThat(two.id()).isEqualTo(one.id());
        assertThat(two.signature()).isEqualTo(one.signature());

        replicate.cueWebhooks(WebhookCue.late(Duration.ofSeconds(2)));
        long created = System.nanoTime();
        api.post("/v1/models/any/model/predictions", body, null);
        assertThat(deliveries.poll(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - created)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));

        replicate.cueWebhooks(WebhookCue.beforeTheCreateCallReturns());
        String id = api.post("/v1/models/any/model/predictions", body, null).body().get("id").asText();
        Delivery early = deliveries.poll(0, TimeUnit.SECONDS);
        assertThat(early).as("posted before the create call answered").isNotNull();
        assertThat(Api.JSON.readTree(early.body()).get("id").asText()).isEqualTo(id);
        assertThat(deliveries.poll(1, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void aTamperedBodyFailsVerification() throws Exception {
        String body = "{\"input\":{\"prompt\":\"a fox\"},\"webhook\":\"" + hook()
            + "\",\"webhook_events_filter\":[\"completed\"]}";
        api.post("/v1/models/any/model/predictions", body, null);

        Delivery delivery = deliveries.poll(10, TimeUnit.SECONDS);
        assertThat(delivery).isNotNull();
        Delivery tampered = new Delivery(delivery.id(), delivery.timestamp(), delivery.signature(),
            delivery.body().replace("succeeded", "failed"));
        assertThat(verify(replicate.webhookSigningSecret(), tampered)).isFalse();
        byte[] otherKey = new byte[24];
        new SecureRandom().nextBytes(otherKey);
        assertThat(verify("whsec_" + Base64.getEncoder().encodeToString(otherKey), delivery)).isFalse();
    }

    @Test
    void withoutAFilterTheStartIsPostedToo() throws Exception {
        String body = "{\"input\":{\"prompt\":\"a fox\"},\"webhook\":\"" + hook() + "\"}";
        api.post("/v1/models/any/model/predictions", body, null);

        Delivery start = deliveries.poll(10, TimeUnit.SECONDS);
        Delivery completed = deliveries.poll(10, TimeUnit.SECONDS);

        assertThat(Api.JSON.readTree(start.body()).get("status").asText()).isEqualTo("processing");
        assertThat(Api.JSON.readTree(completed.body()).get("status").asText()).isEqualTo("succeeded");
        assertThat(start.id()).isNotEqualTo(completed.id());
    }

    @Test
    void aWebhookThatIsNotAUrlIsRefused() throws Exception {
        Api.Answer answer = api.post("/v1/models/any/model/predictions",
            "{\"input\":{\"prompt\":\"a fox\"},\"webhook\":\"not a url\"}", null);

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body().get("detail").asText()).contains("webhook: Enter a valid URL.");
    }

    /** Standard Webhooks verification, written from the spec rather than shared with the server. */
    private static boolean verify(String secret, Delivery delivery) throws Exception {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String signed = delivery.id() + "." + delivery.timestamp() + "." + delivery.body();
        byte[] expected = Base64.getEncoder().encode(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        long age = Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(delivery.timestamp()));
        for (String candidate : delivery.signature().split(" ")) {
            String[] parts = candidate.split(",", 2);
            if (parts[0].equals("v1") && age < 300
                && MessageDigest.isEqual(expected, parts[1].getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }
}
