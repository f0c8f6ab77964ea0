package imagine.worker;

import imagine.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Hands out send times per chat across every worker at once: each send reserves the chat's next free
 * slot in {@code chats/<chatId>.json} with a conditional write, then waits for it. Telegram allows
 * about one message a second in a private chat and twenty a minute in a group.
 */
final class S3ChatPacer implements ChatPacer {
    static final Duration PRIVATE_INTERVAL = Duration.ofMillis(1100);
    static final Duration GROUP_INTERVAL = Duration.ofMillis(3100);
    /** Longer waits go back to the queue rather than holding an invocation. */
    static final Duration MAX_WAIT = Duration.ofSeconds(20);
    private static final int ATTEMPTS = 20;

    private final S3Client s3;
    private final String bucket;
    private final Clock clock;
    private final Sleeper sleeper;

    S3ChatPacer(S3Client s3, String bucket, Clock clock, Sleeper sleeper) {
        this.s3 = s3;
        this.bucket = bucket;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** @param holder who reserved it, so a write the SDK retried can tell its own reservation from another's */
    record Slot(long nextFreeAt, String holder) {
    }

    @Override
    public void awaitTurn(long chatId) throws InterruptedException {
        Duration interval = chatId < 0 ? GROUP_INTERVAL : PRIVATE_INTERVAL;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long now = clock.millis();
            String key = "chats/" + chatId + ".json";
            Current current = load(key);
            long slot = Math.max(now, current == null ? 0 : current.slot().nextFreeAt());
            long wait = slot - now;
            if (wait > MAX_WAIT.toMillis()) {
                throw new RetryLater("chat " + chatId + " is busy for " + wait + " ms", Duration.ofMillis(wait));
            }
            Slot mine = new Slot(slot + interval.toMillis(), UUID.randomUUID().toString());
            if (reserve(key, current, mine)) {
                if (wait > 0) {
                    sleeper.sleep(wait);
                }
                return;
            }
            sleeper.sleep(ThreadLocalRandom.current().nextLong(5, 50));
        }
        throw new RetryLater("too many workers are sending to chat " + chatId + " at once", Duration.ofSeconds(1));
    }

    private record Current(Slot slot, String etag) {
    }

    private Current load(String key) {
        try {
            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            return new Current(Json.MAPPER.readValue(object.asByteArray(), Slot.class), object.response().eTag());
        } catch (NoSuchKeyException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean reserve(String key, Current current, Slot next) {
        PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(bucket).key(key).contentType("application/json");
        if (current == null) {
            put.ifNoneMatch("*");
        } else {
            put.ifMatch(current.etag());
        }
        try {
            s3.putObject(put.build(), RequestBody.fromBytes(Json.MAPPER.writeValueAsBytes(next)));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                Current stored = load(key);
                return stored != null && next.equals(stored.slot());
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
