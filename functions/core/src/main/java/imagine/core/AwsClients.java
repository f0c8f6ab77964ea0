package imagine.core;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * The one place AWS clients are built, for the functions and for the local platform and tests alike: the light
 * url-connection HTTP client; S3 by path against an endpoint override, without the 100-continue round trip on
 * puts ({@link WithoutExpectContinue}) and with checksums only where S3 requires them. Functions take an endpoint
 * from {@code S3_ENDPOINT_URL} / {@code SQS_ENDPOINT_URL} in {@link Environment} when one is set, so a function run
 * by the local platform or {@code sam local invoke} reaches the stand-ins; empty, as deployed, leaves the SDK on AWS's
 * endpoints. (Not the SDK's own {@code AWS_ENDPOINT_URL_*}: the SDK reads those itself, and takes an empty one for
 * an endpoint.)
 */
public final class AwsClients {
    private AwsClients() {
    }

    /** A function's S3 client, configured from its environment. */
    public static S3Client s3(Map<String, String> env) {
        URI endpoint = endpoint(env, "S3");
        S3ClientBuilder builder = s3Builder(endpoint != null);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    /** A function's SQS client, configured from its environment. */
    public static SqsClient sqs(Map<String, String> env) {
        URI endpoint = endpoint(env, "SQS");
        SqsClientBuilder builder = SqsClient.builder().httpClient(UrlConnectionHttpClient.create());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    /** A client of a local S3 stand-in with these credentials. */
    public static S3Client s3(URI endpoint, Region region, String accessKeyId, String secretAccessKey) {
        return s3Builder(true).endpointOverride(endpoint).region(region)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
                .build();
    }

    /** A client of a local SQS stand-in with these credentials. */
    public static SqsClient sqs(URI endpoint, Region region, String accessKeyId, String secretAccessKey) {
        return SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
                .build();
    }

    /**
     * Checksums only where S3 requires one (DeleteObjects): since SDK 2.30 every upload otherwise gets a CRC32 computed
     * over its body and sent as a chunked trailer, and every download is checked against it. The bot's objects are
     * JSON documents rewritten by compare-and-swap and pictures it also sends on at once; TLS already guards them in
     * transit, and the CRC costs every one of the many S3 calls an image takes CPU time (and a cold start its classes).
     */
    private static S3ClientBuilder s3Builder(boolean pathStyle) {
        return S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .forcePathStyle(pathStyle)
                .overrideConfiguration(o -> o.addExecutionInterceptor(new WithoutExpectContinue()));
    }

    private static URI endpoint(Map<String, String> env, String service) {
        String endpoint = env.get(service + "_ENDPOINT_URL");
        return endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint.trim());
    }
}
