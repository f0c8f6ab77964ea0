package imagine.core.usage;

import imagine.core.S3Documents;
import imagine.core.StorageKeys;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Daily counts of images, videos and texts per user in S3 ({@code usage/<user>/<yyyy-mm-dd>.json}, days in
 * UTC), changed by compare-and-swap so concurrent messages of one user are counted exactly.
 */
public final class UsageLedger {
    private final S3Documents<DailyUsage> documents;
    private final Clock clock;

    public UsageLedger(S3Client s3, String bucket, Clock clock) {
        this.documents = new S3Documents<>(s3, bucket, DailyUsage.class);
        this.clock = clock;
    }

    /** The outcome of asking for units: granted or not, and the day's usage as it then stood. */
    public record Take(boolean granted, String day, Units used) {

        /** What is left under {@code limits} (Integer.MAX_VALUE where there is no limit). */
        public Units left(Units limits) {
            return new Units(left(limits.images(), used.images()), left(limits.videos(), used.videos()),
                    left(limits.texts(), used.texts()));
        }

        private static int left(int limit, int used) {
            return limit == 0 ? Integer.MAX_VALUE : Math.max(0, limit - used);
        }
    }

    public String today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC)).toString();
    }

    public Units used(long userId) {
        return documents.get(key(userId, today())).orElse(DailyUsage.NONE).used();
    }

    /**
     * Counts {@code wanted} under today when it fits within {@code limits} (0 = unlimited), once per
     * {@code op}: a redelivered update is granted again without being counted again.
     */
    public Take take(long userId, String op, Units wanted, Units limits) {
        String day = today();
        DailyUsage after = documents.update(key(userId, day), DailyUsage.NONE,
                usage -> fits(usage.used().plus(wanted), limits) ? usage.with(op, wanted) : usage);
        return new Take(after.has(op), day, after.used());
    }

    /** Returns units counted on {@code day} (a job that ended without a result), once per {@code op}. */
    public void giveBack(long userId, String day, String op, Units units) {
        documents.update(key(userId, day), DailyUsage.NONE,
                usage -> usage.with(op, units.negated()));
    }

    /** Undoes a take that was granted under {@code op} on {@code day} but not acted on (the day's budget refused it). */
    public void untake(long userId, String day, String op, Units counted) {
        documents.update(key(userId, day), DailyUsage.NONE, usage -> usage.without(op, counted));
    }

    private static boolean fits(Units total, Units limits) {
        return fits(total.images(), limits.images()) && fits(total.videos(), limits.videos())
                && fits(total.texts(), limits.texts());
    }

    private static boolean fits(int total, int limit) {
        return limit == 0 || total <= limit;
    }

    private static String key(long userId, String day) {
        return StorageKeys.usage(userId, day);
    }
}
