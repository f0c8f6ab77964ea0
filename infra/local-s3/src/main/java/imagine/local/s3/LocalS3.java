package imagine.local.s3;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.gaul.shaded.org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.gaul.shaded.org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded S3-compatible store (S3Proxy) on 127.0.0.1 (or a given address), in memory or persisted under a
 * directory, checking SigV4 signatures with the given credentials and honouring conditional writes atomically.
 */
public final class LocalS3 implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalS3.class);

    private final S3Proxy proxy;
    private final BlobStore store;
    private final URI endpoint;
    private final S3Faults faults;
    private final S3Requests requests;

    private LocalS3(S3Proxy proxy, BlobStore store, URI endpoint, S3Faults faults, S3Requests requests) {
        this.proxy = proxy;
        this.store = store;
        this.endpoint = endpoint;
        this.faults = faults;
        this.requests = requests;
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
                // Stopping waits for no client: a stopped S3 drops its connections, kept alive or not.
                .stopTimeout(0)
                .build();
        S3Requests requests = new S3Requests();
        addFilters(proxy, new CountsRequests(requests), new ReadsBodyFirst());
        try {
            proxy.start();
        } catch (Exception e) {
            throw new IllegalStateException("S3 stand-in did not start on port " + port, e);
        }
        URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        LOG.info("S3 at {} ({})", endpoint, stateDirectory == null ? "in memory" : "stored in " + stateDirectory);
        return new LocalS3(proxy, store, endpoint, faults, requests);
    }

    /** S3Proxy offers no hook for its requests, so the filters go into the servlet context of its server, in order. */
    private static void addFilters(S3Proxy proxy, Filter... filters) {
        try {
            Field server = S3Proxy.class.getDeclaredField("server");
            server.setAccessible(true);
            ServletContextHandler context = ((Server) server.get(proxy)).getDescendant(ServletContextHandler.class);
            for (Filter filter : filters) {
                context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("S3Proxy's server is not where this version expects it", e);
        }
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

    /** The requests served so far, counted by operation and key area. */
    public S3Requests requests() {
        return requests;
    }

    /** Creates the bucket unless it exists already (a persisted store keeps its buckets). */
    public void createBucket(String name) {
        if (store.containerExists(name)) {
            LOG.info("bucket {} exists", name);
        } else {
            store.createContainer(name);
            LOG.info("bucket {} created", name);
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
