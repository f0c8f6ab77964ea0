package imagine.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imagine.local.aws.AwsClients;
import imagine.local.aws.LocalAws;
import imagine.local.aws.LocalS3;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

class LocalS3Test {
    private final LocalAws aws = LocalAws.defaults();

    @Test
    void conditionalWritesAreHonoured() {
        try (LocalS3 s3 = LocalS3.start(0, null, aws); S3Client client = AwsClients.s3(s3.endpoint(), aws)) {
            s3.createBucket("media");
            s3.createBucket("media");

            String etag = client.putObject(b -> b.bucket("media").key("jobs/1").ifNoneMatch("*"),
                    RequestBody.fromString("claim-a")).eTag();
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

    @Test
    void aStateDirectoryKeepsObjectsAcrossRestarts(@TempDir Path state) {
        try (LocalS3 s3 = LocalS3.start(0, state, aws); S3Client client = AwsClients.s3(s3.endpoint(), aws)) {
            s3.createBucket("media");
            client.putObject(b -> b.bucket("media").key("media/a.txt"), RequestBody.fromString("kept"));
        }
        try (LocalS3 s3 = LocalS3.start(0, state, aws); S3Client client = AwsClients.s3(s3.endpoint(), aws)) {
            s3.createBucket("media");
            assertThat(client.getObjectAsBytes(b -> b.bucket("media").key("media/a.txt")).asUtf8String())
                    .isEqualTo("kept");
        }
    }

    @Test
    void wrongCredentialsAreRejected() {
        try (LocalS3 s3 = LocalS3.start(0, null, aws);
                S3Client client = AwsClients.s3(s3.endpoint(), new LocalAws("us-east-1", "0", "local", "wrong"))) {
            s3.createBucket("media");
            assertThatThrownBy(() -> client.getObjectAsBytes(b -> b.bucket("media").key("x")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
    }
}
