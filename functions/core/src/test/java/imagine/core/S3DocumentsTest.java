package imagine.core;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.core.S3Documents.Versioned;
import imagine.core.testing.LocalBucket;
import imagine.local.s3.S3Faults;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The one compare-and-swap: a writer knows its own write after a lost answer by the token it wrote, never by equal
 * content, which another writer may have written too.
 */
class S3DocumentsTest {
    private static final AtomicInteger KEYS = new AtomicInteger();
    private final LocalBucket bucket = new LocalBucket();
    private final S3Documents<Counter> documents = new S3Documents<>(bucket.client(), LocalBucket.NAME, Counter.class);

    record Counter(int value) {
    }

    @AfterEach
    void close() {
        bucket.close();
    }

    private static String key() {
        return "usage/test/" + KEYS.incrementAndGet() + ".json";
    }

    @Test
    void aWriteStoredWhoseAnswerWasLostIsKnownAsItsOwn() {
        String key = key();
        // Stored, then answered 500: the SDK tries again, and S3 refuses the retry because the first was stored.
        bucket.faults().failNextAfterWrite(key, 1);

        Optional<Versioned<Counter>> created = documents.create(key, new Counter(1));

        assertThat(created).as("its own write").hasValueSatisfying(v -> assertThat(v.value()).isEqualTo(new Counter(1)));
        assertThat(bucket.faults().allHappened()).isTrue();
    }

    @Test
    void equalContentWrittenByAnotherWriterIsNotMistakenForOwn() {
        String key = key();
        Versioned<Counter> read = documents.create(key, new Counter(1)).orElseThrow();
        // Another writer moves the document on to the very value this writer is about to write.
        documents.replace(key, read, new Counter(2)).orElseThrow();

        Optional<Versioned<Counter>> mine = documents.replace(key, read, new Counter(2));

        assertThat(mine).as("lost: it was the other writer's").isEmpty();
        assertThat(documents.create(key, new Counter(2))).as("lost too").isEmpty();
    }

    @Test
    void anUpdateAppliesItsChangeOnceWhateverTheStoreAnswers() {
        String key = key();
        documents.update(key, new Counter(0), c -> new Counter(c.value() + 1));
        bucket.faults().failNextAfterWrite(key, 1);
        bucket.faults().failNext(S3Faults.Operation.PUT, key, 2);

        Counter after = documents.update(key, new Counter(0), c -> new Counter(c.value() + 1));

        assertThat(after).isEqualTo(new Counter(2));
        assertThat(documents.get(key)).contains(new Counter(2));
    }

    @Test
    void documentsWrittenBeforeTokensAndDocumentsWithTokensReadAlike() {
        String key = key();
        bucket.client().putObject(b -> b.bucket(LocalBucket.NAME).key(key),
                RequestBody.fromString("{\"value\":7}"));

        assertThat(documents.get(key)).contains(new Counter(7));
        documents.update(key, new Counter(0), c -> new Counter(c.value() + 1));
        assertThat(bucket.client().getObjectAsBytes(b -> b.bucket(LocalBucket.NAME).key(key)).asUtf8String())
                .contains("\"value\":8", "\"write_token\":");
    }
}
