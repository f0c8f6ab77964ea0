package imagine.local.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * An embedded S3-compatible store (S3Proxy) on 127.0.0.1 (or a given address), in memory or persisted under a
 * directory, checking SigV4 signatures with the given credentials and honouring conditional writes atomically.
 */
public final class LocalS3 implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalS3.class);

    private final S3Proxy proxy;
    private final URI endpoint;
    private final S3Client client;
    private final S3Faults faults;

    private LocalS3(S3Proxy proxy, URI endpoint, S3Client client, S3Faults faults) {
        this.proxy = proxy;
        this.endpoint = endpoint;
        this.client = client;
        this.faults = faults;
    }

    /** {@code port} 0 picks a free one; {@code stateDirectory} null keeps objects in memory only. */
    public static LocalS3 start(int port, Path stateDirectory, String accessKeyId, String secretAccessKey) {
        return start("127.0.0.1", port, stateDirectory, accessKeyId, secretAccessKey, true);
    }

    /**
     * Listens on {@code host}. Without {@code checkSignatures} a request signed with any credentials is let in:
     * a function run by {@code sam local invoke} signs with the developer's own credentials or SAM's placeholders.
     */
    public static LocalS3 start(String host, int port, Path stateDirectory, String accessKeyId, String secretAccessKey,
                                boolean checkSignatures) {
        BlobStore store = stateDirectory == null ? new TransientNio2BlobStore() : filesystem(stateDirectory);
        S3Faults faults = new S3Faults();
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new FaultInjection(new AtomicConditionalWrites(store), faults))
                .endpoint(URI.create("http://" + host + ":" + port))
                .awsAuthentication(checkSignatures ? AuthenticationType.AWS_V2_OR_V4 : AuthenticationType.NONE,
                        accessKeyId, secretAccessKey)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            throw new IllegalStateException("S3 stand-in did not start on port " + port, e);
        }
        URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        S3Client client = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    // A refused conditional put answers before the body is read, which the url-connection
                    // client can only see as a broken connection when it asked for "100 Continue".
                    @Override
                    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context,
                                                            ExecutionAttributes attributes) {
                        return context.httpRequest().toBuilder().removeHeader("Expect").build();
                    }
                }))
                .build();
        LOG.info("S3 at {} ({})", endpoint, stateDirectory == null ? "in memory" : "stored in " + stateDirectory);
        return new LocalS3(proxy, endpoint, client, faults);
    }

    private static BlobStore filesystem(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FilesystemNio2BlobStore(directory.toAbsolutePath().toString());
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Errors and slowness on cue. */
    public S3Faults faults() {
        return faults;
    }

    /** A path-style client with this store's credentials. */
    public S3Client client() {
        return client;
    }

    /** Creates the bucket unless it exists already (a persisted store keeps its buckets). */
    public void createBucket(String name) {
        try {
            client.createBucket(b -> b.bucket(name));
            LOG.info("bucket {} created", name);
        } catch (BucketAlreadyOwnedByYouException e) {
            LOG.info("bucket {} exists", name);
        }
    }

    @Override
    public void close() {
        client.close();
        try {
            proxy.stop();
        } catch (Exception e) {
            LOG.warn("S3 stand-in did not stop cleanly", e);
        }
    }
}
