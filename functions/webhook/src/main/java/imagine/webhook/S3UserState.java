package imagine.webhook;

import imagine.core.Cancellations;
import imagine.core.S3Documents;
import imagine.core.StorageKeys;
import imagine.core.usage.DailySpend;
import imagine.core.usage.Units;
import imagine.core.usage.UsageLedger;
import java.util.Set;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * User settings as {@code users/<id>.json} and daily usage as {@code usage/<id>/<day>.json}, both compare-and-swap;
 * any failure to read or write them is a {@link UserStateUnavailable}. What a user takes is also counted against the
 * day's budget ({@link DailySpend}), after the user's quota granted it: past the budget it is not counted anywhere and
 * {@link BudgetReached} is thrown, except for admins, whose prompts are counted and never refused.
 */
final class S3UserState implements UserState {
    private final S3Documents<UserSettings> settings;
    private final UsageLedger usage;
    private final Cancellations cancellations;
    private final DailySpend spend;
    private final Set<Long> admins;

    /** Without a daily budget. */
    S3UserState(S3Client s3, String bucket, UsageLedger usage) {
        this(s3, bucket, usage, new DailySpend(s3, bucket, 0), Set.of());
    }

    S3UserState(S3Client s3, String bucket, UsageLedger usage, DailySpend spend, Set<Long> admins) {
        this.settings = new S3Documents<>(s3, bucket, UserSettings.class);
        this.usage = usage;
        this.cancellations = new Cancellations(s3, bucket);
        this.spend = spend;
        this.admins = admins;
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
        UsageLedger.Take take = UserStateUnavailable.whenFailing("counting usage",
                () -> usage.take(userId, op, wanted, limits));
        if (!take.granted() || !spend.enabled() || wanted.microUsd() == 0) {
            return take;
        }
        boolean paid = UserStateUnavailable.whenFailing("counting the day's spend",
                () -> spend.take(userId, take.day(), op, wanted.microUsd(), admins.contains(userId)));
        if (!paid) {
            UserStateUnavailable.whenFailing("taking back usage past the budget", () -> {
                usage.untake(userId, take.day(), op, wanted);
                return null;
            });
            throw new BudgetReached();
        }
        return take;
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
