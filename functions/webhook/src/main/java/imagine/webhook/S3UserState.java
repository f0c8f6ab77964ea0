package imagine.webhook;

import imagine.core.Cancellations;
import imagine.core.S3Documents;
import imagine.core.StorageKeys;
import imagine.core.usage.Units;
import imagine.core.usage.UsageLedger;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * User settings as {@code users/<id>.json} and daily usage as {@code usage/<id>/<day>.json}, both compare-and-swap;
 * any failure to read or write them is a {@link UserStateUnavailable}.
 */
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
        return UserStateUnavailable.whenFailing("reading settings",
                () -> settings.get(key(userId)).orElse(UserSettings.DEFAULTS));
    }

    @Override
    public UserSettings changeSettings(long userId, UnaryOperator<UserSettings> change) {
        return UserStateUnavailable.whenFailing("changing settings",
                () -> settings.update(key(userId), UserSettings.DEFAULTS, change));
    }

    @Override
    public UsageLedger.Take take(long userId, String op, Units wanted, Units limits) {
        return UserStateUnavailable.whenFailing("counting usage", () -> usage.take(userId, op, wanted, limits));
    }

    @Override
    public Units usedToday(long userId) {
        return UserStateUnavailable.whenFailing("reading usage", () -> usage.used(userId));
    }

    @Override
    public void cancelThrough(long userId, long updateId) {
        UserStateUnavailable.whenFailing("raising the cancel mark", () -> {
            cancellations.cancelThrough(userId, updateId);
            return null;
        });
    }

    private static String key(long userId) {
        return StorageKeys.settings(userId);
    }
}
