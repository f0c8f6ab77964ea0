package imagine.webhook;

import imagine.core.usage.UsageLedger;
import imagine.core.usage.Units;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** Settings kept in memory and every request granted: for tests that feed the webhook thousands of updates. */
final class UnlimitedUserState implements UserState {
    private final Map<Long, UserSettings> settings = new ConcurrentHashMap<>();
    final Map<Long, Long> canceledThrough = new ConcurrentHashMap<>();

    @Override
    public UserSettings settings(long userId) {
        return settings.getOrDefault(userId, UserSettings.DEFAULTS);
    }

    @Override
    public UserSettings changeSettings(long userId, UnaryOperator<UserSettings> change) {
        return settings.compute(userId, (id, stored) -> change.apply(stored == null ? UserSettings.DEFAULTS : stored));
    }

    @Override
    public UsageLedger.Take take(long userId, String op, Units wanted, Units limits) {
        return new UsageLedger.Take(true, "2026-11-24", wanted);
    }

    @Override
    public Units usedToday(long userId) {
        return Units.NONE;
    }

    @Override
    public void cancelThrough(long userId, long updateId) {
        canceledThrough.merge(userId, updateId, Math::max);
    }
}
