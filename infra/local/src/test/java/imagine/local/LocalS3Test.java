package imagine.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imagine.core.AwsClients;
import imagine.local.aws.LocalAws;
import imagine.local.s3.LocalS3;
import imagine.local.s3.S3Faults;
import imagine.local.s3.S3Requests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The S3 stand-in through the real SDK, with the clients the functions build. */
class LocalS3Test {
    private static final LocalAws AWS = LocalAws.defaults();

    private static LocalS3 start(Path state) {
        LocalS3 s3 = LocalS3.start(0, state, AWS.accessKeyId(), AWS.secretAccessKey());
        s3.createBucket("media");
        return s3;
    }

    @Test
    void countsTheRequestsItServesByOperationAndKeyArea() {
        try (LocalS3 s3 = start(null); S3Client client = AWS.s3(s3.endpoint())) {
            S3Requests.Counts before = s3.requests().counts();
            client.putObject(b -> b.bucket("media").key("jobs/1.json"), RequestBody.fromString("{}"));
            client.putObject(b -> b.bucket("media").key("jobs/2.json").ifNoneMatch("*"), RequestBody.fromString("{}"));
            client.getObjectAsBytes(b -> b.bucket("media").key("jobs/1.json"));
            assertThatThrownBy(() -> client.getObjectAsBytes(b -> b.bucket("media").key("users/9.json")))
                    .isInstanceOf(NoSuchKeyException.class);
            client.listObjectsV2(b -> b.bucket("media").prefix("pace/slots/"));
            client.deleteObject(b -> b.bucket("media").key("jobs/2.json"));

            S3Requests.Counts served = s3.requests().counts().minus(before);
            assertThat(served.of("PutObject", "jobs")).isEqualTo(2);
            assertThat(served.of("GetObject")).as("a missing key is a request too").isEqualTo(2);
            assertThat(served.of("GetObject", "users")).isEqualTo(1);
            assertThat(served.of("ListObjectsV2", "pace")).isEqualTo(1);
            assertThat(served.of("DeleteObject", "jobs")).isEqualTo(1);
            assertThat(served.total()).isEqualTo(6);
        }
    }

    @Test
    void cuedFaultsAnswer500BeforeOrAfterWritingAndSlowOnesAnswerLate() {
        try (LocalS3 s3 = start(null); S3Client client = AWS.s3(s3.endpoint())) {
            s3.faults().failNext(S3Faults.Operation.PUT, "jobs/", 4);
            assertThatThrownBy(() -> client.putObject(b -> b.bucket("media").key("jobs/a"), RequestBody.fromString("a")))
                    .as("four 500s outlast the SDK's retries")
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(500));
            assertThat(client.listObjectsV2(b -> b.bucket("media")).contents()).isEmpty();

            s3.faults().failNextAfterWrite("jobs/", 1);
            assertThatThrownBy(() -> client.putObject(b -> b.bucket("media").key("jobs/b").ifNoneMatch("*"),
                    RequestBody.fromString("b")))
                    .as("the retry of a stored put whose answer was lost")
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
            assertThat(client.getObjectAsBytes(b -> b.bucket("media").key("jobs/b")).asUtf8String()).isEqualTo("b");

            s3.faults().slowNext(S3Faults.Operation.GET, "jobs/", 1, Duration.ofMillis(1500));
            long start = System.nanoTime();
            assertThat(client.getObjectAsBytes(b -> b.bucket("media").key("jobs/b")).asUtf8String()).isEqualTo("b");
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(1_500_000_000L);
            client.putObject(b -> b.bucket("media").key("media/c"), RequestBody.fromString("c"));
            assertThat(s3.faults().allHappened()).isTrue();
        }
    }

    @Test
    void conditionalWritesAreHonoured() {
        try (LocalS3 s3 = start(null); S3Client client = AWS.s3(s3.endpoint())) {
            s3.createBucket("media");

            String etag = client.putObject(b -> b.bucket("media").key("jobs/1"), RequestBody.fromString("claim-a")).eTag();
            assertThatThrownBy(() -> client.putObject(b -> b.bucket("media").key("jobs/1").ifNoneMatch("*"),
                    RequestBody.fromString("claim-b")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
            assertThatThrownBy(() -> client.putObject(b -> b.bucket("media").key("jobs/1").ifMatch("\"0000\""),
                    RequestBody.fromString("stale")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
            client.putObject(b -> b.bucket("media").key("jobs/1").ifMatch(etag), RequestBody.fromString("next"));

            assertThat(client.getObjectAsBytes(b -> b.bucket("media").key("jobs/1")).asUtf8String()).isEqualTo("next");
        }
    }

    /**
     * S3 reads the body of a put it refuses, so the refusal reaches the client at its first attempt and the
     * connection it came on serves the next request.
     */
    @Test
    void refusedConditionalWritesAreAnsweredAtOnceAndLeaveTheConnectionUsable() {
        try (LocalS3 s3 = start(null); S3Client client = AWS.s3(s3.endpoint())) {
            client.putObject(b -> b.bucket("media").key("jobs/1"), RequestBody.fromString("claim"));
            for (int i = 0; i < 50; i++) {
                assertThatThrownBy(() -> client.putObject(b -> b.bucket("media").key("jobs/1").ifNoneMatch("*"),
                        RequestBody.fromString("claim again")))
                        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.numAttempts()).isOne());
                assertThatThrownBy(() -> client.putObject(b -> b.bucket("media").key("jobs/1").ifMatch("\"0000\""),
                        RequestBody.fromString("stale")))
                        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.numAttempts()).isOne());
            }
        }
    }

    @Test
    void ofConcurrentConditionalWritesWithOneConditionExactlyOneWins() throws Exception {
        try (LocalS3 s3 = start(null); S3Client client = AWS.s3(s3.endpoint())) {
            assertOneWriterWon(client, "writer ", winners(16, i -> client.putObject(
                    b -> b.bucket("media").key("claim").ifNoneMatch("*"), RequestBody.fromString("writer " + i))));

            for (int round = 0; round < 5; round++) {
                String etag = client.headObject(b -> b.bucket("media").key("claim")).eTag();
                String content = "round " + round + ", writer ";
                assertOneWriterWon(client, content, winners(16, i -> client.putObject(
                        b -> b.bucket("media").key("claim").ifMatch(etag), RequestBody.fromString(content + i))));
            }
        }
    }

    @Test
    void aStateDirectoryKeepsObjectsAcrossRestarts(@TempDir Path state) {
        try (LocalS3 s3 = start(state); S3Client client = AWS.s3(s3.endpoint())) {
            client.putObject(b -> b.bucket("media").key("media/a.txt"), RequestBody.fromString("kept"));
        }
        try (LocalS3 s3 = start(state); S3Client client = AWS.s3(s3.endpoint())) {
            assertThat(client.getObjectAsBytes(b -> b.bucket("media").key("media/a.txt")).asUtf8String())
                    .isEqualTo("kept");
        }
    }

    @Test
    void wrongCredentialsAreRejected() {
        try (LocalS3 s3 = start(null);
                S3Client wrong = AwsClients.s3(s3.endpoint(), Region.of(AWS.region()), AWS.accessKeyId(), "wrong")) {
            assertThatThrownBy(() -> wrong.getObjectAsBytes(b -> b.bucket("media").key("x")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
    }

    /** Exactly one writer is told it won, and the object holds that round's write. */
    private static void assertOneWriterWon(S3Client client, String round, long winners) {
        assertThat(winners).isOne();
        assertThat(client.getObjectAsBytes(b -> b.bucket("media").key("claim")).asUtf8String()).startsWith(round);
    }

    private interface Write {
        void run(int writer) throws Exception;
    }

    /** Runs the writes at once and counts those told they won; the others must be refused with 412. */
    private static long winners(int writers, Write write) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Callable<Boolean>> calls = IntStream.range(0, writers).<Callable<Boolean>>mapToObj(i -> () -> {
                try {
                    write.run(i);
                    return true;
                } catch (S3Exception e) {
                    if (e.statusCode() == 412) {
                        return false;
                    }
                    throw e;
                }
            }).toList();
            long won = 0;
            for (Future<Boolean> result : pool.invokeAll(calls)) {
                won += result.get() ? 1 : 0;
            }
            return won;
        } finally {
            pool.shutdown();
        }
    }
}
