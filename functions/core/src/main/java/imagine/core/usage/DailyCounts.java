package imagine.core.usage;

import imagine.core.S3Documents;
import imagine.core.StorageKeys;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What happened today, for {@code /stats}, {@code infra/imagine status} and the operations page: results per model,
 * refusals by reason, failures per model, dead letters. Kept in S3 as {@value #SHARDS} small documents a day
 * ({@code counts/<day>/<n>.json}, days in UTC), each changed by compare-and-swap, an event going to the one its key
 * (a job, an update) falls on, so concurrent functions rarely meet on one. Counted after the event is recorded: a
 * function that dies in between misses one, and a count that cannot be written is left out rather than failing the
 * work it counts.
 */
public final class DailyCounts implements Tally {
    static final int SHARDS = 8;

    private final S3Documents<Counts> documents;
    private final Clock clock;

    public DailyCounts(S3Client s3, String bucket, Clock clock) {
        this.documents = new S3Documents<>(s3, bucket, Counts.class);
        this.clock = clock;
    }

    /** One day's counts by name ("results.ideogram", "refusals.quota", "dead_letters", ...). */
    public record Counts(Map<String, Long> counts) {
        static final Counts NONE = new Counts(Map.of());

        public Counts {
            counts = counts == null ? Map.of() : Map.copyOf(counts);
        }

        public long get(String name) {
            return counts.getOrDefault(name, 0L);
        }

        Counts plus(Counts other) {
            Map<String, Long> sum = new TreeMap<>(counts);
            other.counts.forEach((name, count) -> sum.merge(name, count, Long::sum));
            return new Counts(sum);
        }
    }

    public String today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC)).toString();
    }

    /** Adds one to each name today, in the document {@code key} falls on; a failure to write is swallowed. */
    @Override
    public void add(String key, String... names) {
        Map<String, Long> one = new TreeMap<>();
        for (String name : names) {
            one.merge(name, 1L, Long::sum);
        }
        try {
            documents.update(StorageKeys.counts(today(), Math.floorMod(key.hashCode(), SHARDS)), Counts.NONE,
                    current -> current.plus(new Counts(one)));
        } catch (RuntimeException countingFailed) {
            // Counts are for looking at; the work they count is done either way.
        }
    }

    public Counts read(String day) {
        Counts sum = Counts.NONE;
        for (int shard = 0; shard < SHARDS; shard++) {
            sum = sum.plus(documents.get(StorageKeys.counts(day, shard)).orElse(Counts.NONE));
        }
        return sum;
    }
}
