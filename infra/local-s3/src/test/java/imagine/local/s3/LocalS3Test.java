package imagine.local.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

class LocalS3Test {

    private static LocalS3 start(Path state) {
        LocalS3 s3 = LocalS3.start(0, state, "local", "local-secret");
        s3.createBucket("media");
        return s3;
    }

    @Test
    void cuedFaultsAnswer500BeforeOrAfterWritingAndSlowOnesAnswerLate() {
        try (LocalS3 s3 = start(null)) {
            S3Client client = s3.client();
            s3.faults().failNext(S3Faults.Operation.PUT, "jobs/", 4);
            // The SDK sees the last 500 as such, or as a broken upload when it reused the connection the answer closed.
            assertThatThrownBy(() -> client.putObject(b -> b.bucket("media").key("jobs/a"), RequestBody.fromString("a")))
                    .as("four 500s outlast the SDK's retries")
                    .isInstanceOfAny(S3Exception.class, SdkClientException.class)
                    .satisfies(e -> {
                        if (e instanceof S3Exception refused) {
                            assertThat(refused.statusCode()).isEqualTo(500);
                        }
                    });
            assertThat(client.listObjectsV2(b -> b.bucket("media")).contents()).isEmpty();

            s3.faults().failNextAfterWrite("jobs/", 1);
            assertThatThrownBy(() -> client.putObject(b -> b.bucket("media").key("jobs/b").ifNoneMatch("*"),
                    RequestBody.fromString("b")))
                    .as("the retry of a stored put whose answer was lost")
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
            assertThat(client.getObjectAsBytes(b -> b.bucket("media").key("jobs/b")).asUtf8String()).isEqualTo("b");

            s3.faults().slowNext(S3Faults.Operation.GET, "jobs/", 1, java.time.Duration.ofMillis(1500));
            long start = System.nanoTime();
            assertThat(client.getObjectAsBytes(b -> b.bucket("media").key("jobs/b")).asUtf8String()).isEqualTo("b");
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(1_500_000_000L);
            client.putObject(b -> b.bucket("media").key("media/c"), RequestBody.fromString("c"));
            assertThat(s3.faults().allHappened()).isTrue();
        }
    }

    @Test
    void conditionalWritesAreHonoured() {
        try (LocalS3 s3 = start(null)) {
            S3Client client = s3.client();
            s3.createBucket("media");

            String etag = client.putObject(b -> b.bucket("media").key("jobs/1"), RequestBody.fromString("claim-a")).eTag();
            assertThatThrownBy(() -> client.putObject(b -> b.bucket("media").key("jobs/1").ifNoneMatch("*"),
                    RequestBody.fromString("claim-b")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
            assertThatThrownBy(() -> client.putObject(b -> b.bucket("media").key("jobs/1").ifMatch("\"0000\""),
                    RequestBody.fromString("stale")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
            try {
                client.putObject(b -> b.bucket("media").key("jobs/1").ifMatch(etag), RequestBody.fromString("next"));
            } catch (S3Exception refusedRetry) {
                // The SDK retried a put whose answer was lost; the retry is refused because the first try was stored.
                assertThat(refusedRetry.statusCode()).isEqualTo(412);
            }

            assertThat(client.getObjectAsBytes(b -> b.bucket("media").key("jobs/1")).asUtf8String()).isEqualTo("next");
        }
    }

    @Test
    void ofConcurrentConditionalWritesWithOneConditionExactlyOneWins() throws Exception {
        try (LocalS3 s3 = start(null)) {
            S3Client client = s3.client();
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
        try (LocalS3 s3 = start(state)) {
            s3.client().putObject(b -> b.bucket("media").key("media/a.txt"), RequestBody.fromString("kept"));
        }
        try (LocalS3 s3 = start(state)) {
            assertThat(s3.client().getObjectAsBytes(b -> b.bucket("media").key("media/a.txt")).asUtf8String())
                    .isEqualTo("kept");
        }
    }

    @Test
    void wrongCredentialsAreRejected() {
        try (LocalS3 s3 = start(null);
                S3Client wrong = S3Client.builder().endpointOverride(URI.create(s3.endpoint().toString()))
                        .region(Region.US_EAST_1).forcePathStyle(true)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "wrong")))
                        .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            assertThatThrownBy(() -> wrong.getObjectAsBytes(b -> b.bucket("media").key("x")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
    }

    /**
     * At most one writer is told it won, and the object holds one of this round's writes. (A winner whose
     * answer was lost on the way back is retried by the SDK and then refused: it counts as 0 winners.)
     */
    private static void assertOneWriterWon(S3Client client, String round, long winners) {
        assertThat(winners).isLessThanOrEqualTo(1);
        assertThat(client.getObjectAsBytes(b -> b.bucket("media").key("claim")).asUtf8String()).startsWith(round);
    }

    private interface Write {
        void run(int writer) throws Exception;
    }

    /**
     * Runs the writes at once and counts those told they won: not refused with 412, and not lost on the way (a
     * broken connection, which says nothing of the write's fate; the object's content is checked instead).
     */
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
                } catch (SdkClientException lostAnswer) {
                    return false;
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
