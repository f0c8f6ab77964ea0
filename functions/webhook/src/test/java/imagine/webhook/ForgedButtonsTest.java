package imagine.webhook;

import static com.amazonaws.services.lambda.runtime.tests.EventLoader.loadApiGatewayHttpEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import imagine.core.AwsClients;
import imagine.core.BlockedTerms;
import imagine.core.Catalog;
import imagine.core.DeliveredResult;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.StorageKeys;
import imagine.core.testing.LocalBucket;
import imagine.core.testing.TestContext;
import imagine.core.usage.Units;
import imagine.core.usage.UsageLedger;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Callback data a modified client can send, against the users' state and result records in a real S3-compatible
 * store: whatever it says, the tap is answered 200 with a toast, and nothing is enqueued, counted or written.
 */
class ForgedButtonsTest {
    private static final long ALICE = 1001;
    private static final long BOB = 1003;
    private static final String STALE = "This button is out of date. Send /settings or /model again.";

    private final LocalBucket bucket = new LocalBucket();
    private final UsageLedger ledger = new UsageLedger(bucket.client(), LocalBucket.NAME, Clock.systemUTC());
    private final List<Job> enqueued = new CopyOnWriteArrayList<>();
    private final AtomicLong updateIds = new AtomicLong(800_000);
    private final WebhookHandler handler = new WebhookHandler(new WebhookComponents(
            new WebhookSettings("local-webhook-secret", "imagine_local_bot", "ideogram", 1, Set.of(), Set.of(),
                    BlockedTerms.NONE, new Units(5, 1)),
            Catalog.load(), enqueued::addAll, new S3UserState(bucket.client(), LocalBucket.NAME, ledger), edit -> { },
            ResultLookup.s3(bucket.client(), LocalBucket.NAME)));

    @AfterEach
    void close() {
        bucket.close();
    }

    @Test
    void forgedCallbackDataIsAStaleButtonAndTouchesNothing() throws Exception {
        delivered(ALICE, "500001-0-0");
        delivered(BOB, "500002-0-0");
        List<String> before = keys();
        List<String> forged = List.of(
                "1001:ag:../x", "1001:ag:../../users/1003", "1001:fs:500001-0-0/../../../users/1001",
                "1001:an:..%2Fx", "1001:ag:500001-0-0/", "1001:ag:500001-0-0\u0000", "1001:ag:500001-0-0\n",
                "1001:ag:500001", "1001:ag:500001-", "1001:ag:-0-0", "1001:ag:500001-0-0 ", "1001:ag:a500001-0-0",
                "1001:ag:500001-0-0" + "-0".repeat(40), "1001:ag:" + "9".repeat(5000) + "-0-0",
                "1001:ag:" + "x".repeat(200_000), "1001:AG:500001-0-0", "1001:zz:500001-0-0", "1001::500001-0-0",
                "1001:ag", "1001", ":", "", "99999999999999999999:ag:500001-0-0", "-1001:ag:500001-0-0",
                "+1001:ag:500001-0-0", "0x3e9:ag:500001-0-0", "１００１:ag:500001-0-0", "1001:ar:../../x",
                "1001:ar:16:9/../x", "1001:ar:1:1:1", "1001:ar:" + "1".repeat(100) + ":1", "1001:m:../x",
                "1001:m:" + "a".repeat(100), "1001:m:SEEDREAM", "1001:n:0", "1001:n:5", "1001:n:04", "1001:n:1 ",
                "1001:o:pdf", "1001:o:file\n", "1001:al:yes", "1001:al:", "1001:fg:maybe", "1001:fg:yes ", "1001:fg:");

        for (String data : forged) {
            APIGatewayV2HTTPResponse response = tap(ALICE, data);

            assertThat(response.getStatusCode()).as(data).isEqualTo(200);
            JsonNode toast = Json.MAPPER.readTree(response.getBody());
            assertThat(toast.get("method").asText()).as(data).isEqualTo("answerCallbackQuery");
            assertThat(toast.get("text").asText()).as(data).isEqualTo(STALE);
        }
        assertThat(enqueued).isEmpty();
        assertThat(keys()).as("nothing written").isEqualTo(before);
    }

    @Test
    void anotherUsersIdOrJobIdNeverActsOnTheirResultOrSettings() throws Exception {
        delivered(BOB, "500002-0-0");
        List<String> before = keys();

        String asBob = text(tap(ALICE, "1003:ag:500002-0-0"));
        String bobsJobUnderAlice = text(tap(ALICE, "1001:fs:500002-0-0"));
        String bobsSettings = text(tap(ALICE, "1003:m:seedream"));

        assertThat(asBob).startsWith("This is someone else's result");
        assertThat(bobsJobUnderAlice).startsWith("This result is no longer kept");
        assertThat(bobsSettings).startsWith("These buttons belong to someone else");
        assertThat(enqueued).isEmpty();
        assertThat(keys()).isEqualTo(before);
    }

    @Test
    void anyClientErrorOfS3OnAResultIsAResultNoLongerKept() throws Exception {
        delivered(ALICE, "500001-0-0");
        try (S3Client refused = AwsClients.s3(bucket.endpoint(), Region.US_EAST_1, "test", "not-the-secret")) {
            ResultLookup lookup = ResultLookup.s3(refused, LocalBucket.NAME);

            assertThat(lookup.find(ALICE, "500001-0-0")).as("403 from S3").isEmpty();
        }
    }

    private void delivered(long owner, String jobId) throws Exception {
        Job job = Job.builder().jobId(jobId).replyingTo(owner, 10).user(owner, "en").prompt("a fox")
                .model("seedream").aspectRatio("16:9").build();
        bucket.client().putObject(b -> b.bucket(LocalBucket.NAME).key(StorageKeys.result(owner, jobId)),
                RequestBody.fromBytes(Json.MAPPER.writeValueAsBytes(
                        new DeliveredResult(job, StorageKeys.media(owner, jobId, ".png"), "image/png", null))));
    }

    private List<String> keys() {
        return bucket.client().listObjectsV2Paginator(b -> b.bucket(LocalBucket.NAME)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    private APIGatewayV2HTTPResponse tap(long userId, String data) throws Exception {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-callback-query.json");
        ObjectNode update = (ObjectNode) Json.MAPPER.readTree(event.getBody());
        update.put("update_id", updateIds.incrementAndGet());
        ObjectNode query = (ObjectNode) update.get("callback_query");
        query.put("data", data);
        ((ObjectNode) query.get("from")).put("id", userId);
        event.setBody(Json.MAPPER.writeValueAsString(update));
        return handler.answer(event, new TestContext());
    }

    private static String text(APIGatewayV2HTTPResponse response) throws Exception {
        assertThat(response.getStatusCode()).isEqualTo(200);
        return Json.MAPPER.readTree(response.getBody()).get("text").asText();
    }
}
