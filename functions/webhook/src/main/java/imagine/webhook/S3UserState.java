package imagine.webhook;

import imagine.core.Cancellations;
import imagine.core.S3Documents;
import imagine.core.StorageKeys;
import imagine.core.usage.Units;
import imagine.core.usage.UsageLedger;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.s3.S3Client;

/** User settings as {@code users/<id>.json} and daily usage as {@code usage/<id>/<day>.json}, both compare-and-swap. */
final class S3UserState implements UserState {
    private final S3Documents<UserSettings> settings;
    private final UsageLedger usage;
    private final Cancellations cancellations;

    S3UserState(S3Client s3, String bucket, UsageLedger usage) {
        this.settings = new S3Documents<>(s3, bucket, UserSettings.class);
        this.usage = usage;
        this.cancellations = new Cancellations(s3, bucket);
    }

    @Override
    public UserSettings settings(long userId) {
        return settings.get(key(userId)).orElse(UserSettings.DEFAULTS);
    }

    @Override
    public UserSettings changeSettings(long userId, UnaryOperator<UserSettings> change) {
        return settings.update(key(userId), UserSettings.DEFAULTS, change);
    }

    @Override
    public UsageLedger.Take take(long userId, String op, Units wanted, Units limits) {
        return usage.take(userId, op, wanted, limits);
    }

    @Override
    public Units usedToday(long userId) {
        return usage.used(userId);
    }

    @Override
    public void cancelThrough(long userId, long updateId) {
        cancellations.cancelThrough(userId, updateId);
    }

    private static String key(long userId) {
        return StorageKeys.settings(userId);
    }
}
