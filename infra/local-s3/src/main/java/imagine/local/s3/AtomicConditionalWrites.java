package imagine.local.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Makes If-Match / If-None-Match puts atomic. S3 lets exactly one of several concurrent conditional
 * writes with the same condition win; S3Proxy checks the condition and writes in two steps, so two
 * writers can both pass the check. Here the check and the write of one key happen under one lock.
 */
final class AtomicConditionalWrites extends ForwardingBlobStore {
    private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();

    AtomicConditionalWrites(BlobStore delegate) {
        super(delegate);
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        if (request.ifMatch() == null && request.ifNoneMatch() == null) {
            return super.putBlob(request, content);
        }
        Object lock = locks.computeIfAbsent(request.bucket() + "/" + request.key(), key -> new Object());
        synchronized (lock) {
            HeadObjectResponse current = blobMetadataIfPresent(request.bucket(), request.key());
            if (!conditionHolds(request, current)) {
                // Read first, as S3 does: an answer before the body is read leaves a connection the client takes
                // for reusable, and its next request breaks on it.
                drain(content);
                throw new S3ProxyException(S3ErrorCode.PRECONDITION_FAILED);
            }
            return super.putBlob(request, content);
        }
    }

    private static void drain(InputStream content) {
        try {
            content.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new S3ProxyException(S3ErrorCode.INTERNAL_ERROR);
        }
    }

    private static boolean conditionHolds(PutObjectRequest request, HeadObjectResponse current) {
        if (request.ifNoneMatch() != null) {
            return current == null;
        }
        return current != null && Objects.equals(unquoted(current.eTag()), unquoted(request.ifMatch()));
    }

    private static String unquoted(String etag) {
        return etag == null ? null : etag.replace("\"", "");
    }
}
