package imagine.webhook;

import imagine.core.usage.UsageLedger;
import imagine.core.usage.Units;
import java.util.function.UnaryOperator;

/** What the webhook remembers per user: settings, and what was used today. */
interface UserState {

    UserSettings settings(long userId);

    /** Applies {@code change} to the user's stored settings without losing a concurrent change; returns the result. */
    UserSettings changeSettings(long userId, UnaryOperator<UserSettings> change);

    /** Counts {@code wanted} under today once per {@code op} if it fits within {@code limits} (0 = unlimited). */
    UsageLedger.Take take(long userId, String op, Units wanted, Units limits);

    Units usedToday(long userId);

    /** {@code /cancel}: the user's jobs from updates up to this one are canceled. */
    void cancelThrough(long userId, long updateId);
}
