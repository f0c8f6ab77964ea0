package imagine.webhook;

import java.io.UncheckedIOException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The users' state in S3 (settings, daily usage, cancel marks, result records) could not be read or written. The
 * update is answered with a request to send it again, not failed: Telegram would redeliver it for a day and hold
 * the chat's later updates behind it. Its message names what failed and how, never a key's contents.
 */
final class UserStateUnavailable extends RuntimeException {

    UserStateUnavailable(String what, Exception cause) {
        super(what + " failed: " + (cause instanceof S3Exception s3 ? "S3 answered " + s3.statusCode()
                : cause.getClass().getSimpleName()), cause);
    }

    /**
     * Runs one read or write of the users' state; an S3 error, no answer, an unreadable document or a change that
     * lost to concurrent writers too often is thrown as this.
     */
    static <T> T whenFailing(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException | UncheckedIOException | IllegalStateException e) {
            throw new UserStateUnavailable(what, e);
        }
    }
}
