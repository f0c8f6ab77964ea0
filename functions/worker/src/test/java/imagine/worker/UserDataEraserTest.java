package imagine.worker;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.core.StorageKeys;
import imagine.core.testing.LocalBucket;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@code /forget}'s deletion against a real S3-compatible store: one user's objects go, nobody else's. */
class UserDataEraserTest {
    private static final long ALICE = 1001;
    private static final Clock NOON = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);
    private static final int BATCH = 10;

    private final LocalBucket bucket = new LocalBucket();
    private final UserDataEraser eraser = new UserDataEraser(bucket.client(), LocalBucket.NAME, NOON, BATCH);

    @AfterEach
    void close() {
        bucket.close();
    }

    @Test
    void everythingOfTheUserIsDeletedInBatchesButTodaysCountAndNothingOfAnyoneElse() throws Exception {
        List<String> alices = new ArrayList<>(List.of(StorageKeys.settings(ALICE), StorageKeys.cancelMark(ALICE),
                StorageKeys.usage(ALICE, "2026-11-22"), StorageKeys.usage(ALICE, "2026-11-23"),
                StorageKeys.result(ALICE, "500001-0-0"), StorageKeys.input(ALICE, "500001-0-0"),
                StorageKeys.running(ALICE, "500002-0-0")));
        for (int i = 0; i < 2 * BATCH + 5; i++) {
            alices.add(StorageKeys.media(ALICE, "5000" + i + "-0-0", ".png"));
        }
        List<String> kept = List.of(StorageKeys.usage(ALICE, "2026-11-24"), StorageKeys.settings(10010),
                StorageKeys.media(10010, "600001-0-0", ".png"), StorageKeys.usage(10010, "2026-11-23"),
                StorageKeys.result(1002, "700001-0-0"), StorageKeys.job("500001-0-0"),
                StorageKeys.legacyResult("400001-0-0"), StorageKeys.album("500001-0"));
        put(alices);
        put(kept);

        int deleted = eraser.erase(ALICE);

        assertThat(deleted).isEqualTo(alices.size());
        assertThat(keys()).containsExactlyInAnyOrderElementsOf(kept);
        assertThat(eraser.erase(ALICE)).as("nothing left to delete").isZero();
    }

    @Test
    void aUserWithNothingStoredHasNothingDeleted() {
        assertThat(eraser.erase(ALICE)).isZero();
    }

    private void put(List<String> keys) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<?>> puts = new ArrayList<>();
        for (String key : keys) {
            puts.add(threads.submit(() -> bucket.client().putObject(b -> b.bucket(LocalBucket.NAME).key(key),
                    RequestBody.fromString("{}"))));
        }
        for (Future<?> put : puts) {
            put.get();
        }
        threads.shutdown();
    }

    private List<String> keys() {
        return bucket.client().listObjectsV2Paginator(b -> b.bucket(LocalBucket.NAME)).contents().stream()
                .map(S3Object::key).toList();
    }
}
