package imagine.local.aws;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** SDK clients pointed at the local stand-ins. */
public final class AwsClients {
    private AwsClients() {
    }

    public static SqsClient sqs(URI endpoint, LocalAws aws) {
        return SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(aws.region()))
                .credentialsProvider(credentials(aws))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    public static S3Client s3(URI endpoint, LocalAws aws) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(aws.region()))
                .forcePathStyle(true)
                .credentialsProvider(credentials(aws))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    private static StaticCredentialsProvider credentials(LocalAws aws) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey()));
    }
}
