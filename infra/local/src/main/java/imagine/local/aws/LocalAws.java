package imagine.local.aws;

import imagine.core.AwsClients;
import java.net.URI;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The region, account and credentials every local stand-in and every function share. */
public record LocalAws(String region, String accountId, String accessKeyId, String secretAccessKey) {

    public static LocalAws defaults() {
        return new LocalAws("us-east-1", "000000000000", "local", "local-secret");
    }

    /** The AWS SDK's default providers read these JVM-wide properties, in functions as well as here. */
    public void applyToSystemProperties() {
        System.setProperty("aws.region", region);
        System.setProperty("aws.accessKeyId", accessKeyId);
        System.setProperty("aws.secretAccessKey", secretAccessKey);
    }

    /** A client of the SQS stand-in at {@code endpoint}, built as the functions build theirs. */
    public SqsClient sqs(URI endpoint) {
        return AwsClients.sqs(endpoint, Region.of(region), accessKeyId, secretAccessKey);
    }

    /** A client of the S3 stand-in at {@code endpoint}, built as the functions build theirs. */
    public S3Client s3(URI endpoint) {
        return AwsClients.s3(endpoint, Region.of(region), accessKeyId, secretAccessKey);
    }
}
