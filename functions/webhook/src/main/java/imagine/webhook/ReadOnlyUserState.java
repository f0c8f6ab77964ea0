package imagine.webhook;

import imagine.core.usage.UsageLedger;
import imagine.core.usage.Units;
import java.util.function.UnaryOperator;

/** Reads the user's state where it lives and stores nothing: a change is computed and dropped, a take granted. */
final class ReadOnlyUserState implements UserState {
    private final UserState stored;

    ReadOnlyUserState(UserState stored) {
        this.stored = stored;
    }

    @Override
    public UserSettings settings(long userId) {
        return stored.settings(userId);
    }

    @Override
    public UserSettings changeSettings(long userId, UnaryOperator<UserSettings> change) {
        return change.apply(stored.settings(userId));
    }

    @Override
    public UsageLedger.Take take(long userId, String op, Units wanted, Units limits) {
        return new UsageLedger.Take(true, null, stored.usedToday(userId).plus(wanted));
    }

    @Override
    public Units usedToday(long userId) {
        return stored.usedToday(userId);
    }

    @Override
    public void cancelThrough(long userId, long updateId) {
    }
}
