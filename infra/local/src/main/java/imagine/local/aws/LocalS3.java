package imagine.local.aws;

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
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/** An embedded S3-compatible store (S3Proxy) on 127.0.0.1, in memory or persisted under a directory. */
public final class LocalS3 implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalS3.class);

    private final S3Proxy proxy;
    private final URI endpoint;
    private final LocalAws aws;

    private LocalS3(S3Proxy proxy, URI endpoint, LocalAws aws) {
        this.proxy = proxy;
        this.endpoint = endpoint;
        this.aws = aws;
    }

    /** {@code port} 0 picks a free one; {@code stateDirectory} null keeps objects in memory only. */
    public static LocalS3 start(int port, Path stateDirectory, LocalAws aws) {
        BlobStore store = stateDirectory == null ? new TransientNio2BlobStore() : filesystem(stateDirectory);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, aws.accessKeyId(), aws.secretAccessKey())
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            throw new IllegalStateException("S3 stand-in did not start on port " + port, e);
        }
        URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        LOG.info("S3 at {} ({})", endpoint, stateDirectory == null ? "in memory" : "stored in " + stateDirectory);
        return new LocalS3(proxy, endpoint, aws);
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

    /** Creates the bucket unless it exists already (a persisted store keeps its buckets). */
    public void createBucket(String name) {
        try (S3Client s3 = AwsClients.s3(endpoint, aws)) {
            s3.createBucket(b -> b.bucket(name));
            LOG.info("bucket {} created", name);
        } catch (BucketAlreadyOwnedByYouException e) {
            LOG.info("bucket {} exists", name);
        }
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            LOG.warn("S3 stand-in did not stop cleanly", e);
        }
    }
}
