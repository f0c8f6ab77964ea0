package imagine.local.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/** Applies the {@link S3Faults} cued for a GET or PUT before (or after) passing it on. */
final class FaultInjection extends ForwardingBlobStore {
    private final S3Faults faults;

    FaultInjection(BlobStore delegate, S3Faults faults) {
        super(delegate);
        this.faults = faults;
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        Optional<S3Faults.Rule> fault = faults.next(S3Faults.Operation.PUT, request.key());
        if (fault.isPresent() && fault.get().kind() == S3Faults.Kind.ERROR) {
            // Read first, as S3 does: an answer before the body is sent reaches the client as a broken upload.
            drain(content);
        }
        before(fault);
        PutObjectResponse stored = super.putBlob(request, content);
        if (fault.isPresent() && fault.get().kind() == S3Faults.Kind.ERROR_AFTER_WRITE) {
            throw new S3ProxyException(S3ErrorCode.INTERNAL_ERROR);
        }
        return stored;
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        before(faults.next(S3Faults.Operation.GET, request.key()));
        return super.getBlob(request);
    }

    private static void drain(InputStream content) {
        try {
            content.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new S3ProxyException(S3ErrorCode.INTERNAL_ERROR);
        }
    }

    private static void before(Optional<S3Faults.Rule> fault) {
        if (fault.isEmpty()) {
            return;
        }
        switch (fault.get().kind()) {
            case ERROR -> throw new S3ProxyException(S3ErrorCode.INTERNAL_ERROR);
            case SLOW -> {
                try {
                    Thread.sleep(fault.get().delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new S3ProxyException(S3ErrorCode.INTERNAL_ERROR);
                }
            }
            case ERROR_AFTER_WRITE -> {
                // Thrown once the write is done.
            }
        }
    }
}
