package imagine.core.usage;

import imagine.core.S3Documents;
import imagine.core.StorageKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The day's spend against the owner's daily budget, in millionths of a dollar at the catalog's prices: counted when a
 * prompt is accepted, given back when its model charged nothing. Exact under concurrency and redelivery without one
 * document that every prompt changes: the budget is handed out in shares to {@value #SHARDS} counters
 * ({@code spend/<day>/<n>.json}, a user's prompts always in the same one), and a prompt changes only its counter's
 * document while the counter's share lasts. A counter whose share runs out takes more from the day's budget document
 * ({@code spend/<day>/budget.json}), and when that is handed out, the unused share of the other counters. Shares only
 * move (taken from one document before they are added to another), so the sum of the counters never passes the budget;
 * a writer that dies between the two writes loses a share, which the day then does without.
 */
public final class DailySpend {
    static final int SHARDS = 16;
    /**
     * How many times a prompt may find a share and see it used by another prompt of its counter first: far more than
     * the users of one counter meet at once, a bound only against livelock.
     */
    private static final int ROUNDS = 200;
    /** Longer than a share takes to move from one counter to another (two writes). */
    private static final long MOVE_MILLIS = 200;

    private final S3Documents<Counter> counters;
    private final S3Documents<Budget> budgets;
    private final long budgetMicroUsd;

    /** @param budgetMicroUsd the day's budget; 0 counts nothing and refuses nothing */
    public DailySpend(S3Client s3, String bucket, long budgetMicroUsd) {
        this.counters = new S3Documents<>(s3, bucket, Counter.class);
        this.budgets = new S3Documents<>(s3, bucket, Budget.class);
        this.budgetMicroUsd = budgetMicroUsd;
    }

    /** From {@code DAILY_BUDGET_USD}, in dollars (0 or unset: no budget). */
    public static long budgetFrom(String dollars) {
        return dollars == null || dollars.isBlank() ? 0 : Math.round(Double.parseDouble(dollars.trim()) * 1_000_000);
    }

    public boolean enabled() {
        return budgetMicroUsd > 0;
    }

    public long budgetMicroUsd() {
        return budgetMicroUsd;
    }

    /**
     * One counter: its share of the budget, what its users' prompts cost, and the operations counted (a redelivered
     * update, a retried give-back change nothing).
     */
    record Counter(long share, long spent, List<String> ops) {
        static final Counter NONE = new Counter(0, 0, List.of());
        /** Far more than Telegram's redeliveries or a job's retries span, for the users of one counter. */
        static final int OPS_KEPT = 500;

        Counter {
            ops = ops == null ? List.of() : List.copyOf(ops);
        }

        long free() {
            return Math.max(0, share - spent);
        }

        Counter spending(String op, long microUsd) {
            return new Counter(share, Math.max(0, spent + microUsd), kept(op));
        }

        Counter forgetting(String op, long microUsd) {
            List<String> kept = new ArrayList<>(ops);
            kept.remove(op);
            return new Counter(share, Math.max(0, spent - microUsd), kept);
        }

        Counter withShare(long more) {
            return new Counter(share + more, spent, ops);
        }

        private List<String> kept(String op) {
            List<String> kept = new ArrayList<>(ops);
            kept.add(op);
            return kept.size() > OPS_KEPT ? kept.subList(kept.size() - OPS_KEPT, kept.size()) : kept;
        }
    }

    /** The day's budget as it was when shares were last handed out, and how much of it they took. */
    record Budget(long budget, long handedOut) {
        static final Budget NONE = new Budget(0, 0);
    }

    /** What was spent on a day and the budget it was spent against (0: none). */
    public record Spent(long microUsd, long budgetMicroUsd) {
        public double usd() {
            return microUsd / 1e6;
        }

        public double budgetUsd() {
            return budgetMicroUsd / 1e6;
        }
    }

    /**
     * Counts {@code microUsd} for the user's prompt under {@code op} on {@code day} if the budget has it; a redelivered
     * {@code op} is granted without being counted again. {@code always} counts it even past the budget (an admin's).
     */
    public boolean take(long userId, String day, String op, long microUsd, boolean always) {
        String key = StorageKeys.spendShard(day, shard(userId));
        for (int round = 0; round < ROUNDS; round++) {
            Counter counter = counters.update(key, Counter.NONE, current -> current.ops().contains(op)
                    || always || current.spent() + microUsd <= current.share() ? counted(current, op, microUsd) : current);
            if (counter.ops().contains(op)) {
                return true;
            }
            long missing = microUsd - counter.free();
            if (fromBudget(day, key, missing) == 0 && fromOtherCounters(day, key, missing) == 0
                    && !roomLeft(day, microUsd)) {
                return false;
            }
        }
        return false;
    }

    private static Counter counted(Counter current, String op, long microUsd) {
        return current.ops().contains(op) ? current : current.spending(op, microUsd);
    }

    /** Undoes a take under {@code op} that was not acted on: a later take under {@code op} counts again. */
    public void untake(long userId, String day, String op, long microUsd) {
        counters.update(StorageKeys.spendShard(day, shard(userId)), Counter.NONE,
                current -> current.ops().contains(op) ? current.forgetting(op, microUsd) : current);
    }

    /** Gives back what a job's model did not charge, once per {@code op}; it stays in the user's counter's share. */
    public void giveBack(long userId, String day, String op, long microUsd) {
        counters.update(StorageKeys.spendShard(day, shard(userId)), Counter.NONE,
                current -> current.ops().contains(op) ? current : current.spending(op, -microUsd));
    }

    /** The day's spend: the sum of its counters. */
    public Spent spent(String day) {
        long spent = 0;
        for (int shard = 0; shard < SHARDS; shard++) {
            spent += counters.get(StorageKeys.spendShard(day, shard)).orElse(Counter.NONE).spent();
        }
        return new Spent(spent, budgetMicroUsd);
    }

    /** The day's spend against the budget the webhook recorded that day (0 when no prompt was counted yet). */
    public Spent recorded(String day) {
        return new Spent(spent(day).microUsd(),
                budgets.get(StorageKeys.spendBudget(day)).orElse(Budget.NONE).budget());
    }

    /**
     * A share from what is left of the day's budget: a part of it that shrinks as the budget is spent (so counters take
     * it seldom while there is plenty, and leave little unused at the end), at least what is missing.
     */
    private long fromBudget(String day, String counterKey, long missing) {
        AtomicLong taken = new AtomicLong();
        budgets.update(StorageKeys.spendBudget(day), Budget.NONE, current -> {
            long left = Math.max(0, budgetMicroUsd - current.handedOut());
            taken.set(Math.min(Math.max(missing, left / (2L * SHARDS)), left));
            return taken.get() == 0 ? current : new Budget(budgetMicroUsd, current.handedOut() + taken.get());
        });
        if (taken.get() > 0) {
            counters.update(counterKey, Counter.NONE, current -> current.withShare(taken.get()));
        }
        return taken.get();
    }

    /**
     * Once the budget is handed out: what other counters have not used of their shares, as much as is missing, from as
     * many as it takes (what is left in each may be less than a prompt costs).
     */
    private long fromOtherCounters(String day, String counterKey, long missing) {
        long found = 0;
        for (int shard = 0; shard < SHARDS && found < missing; shard++) {
            String key = StorageKeys.spendShard(day, shard);
            if (key.equals(counterKey)) {
                continue;
            }
            long wanted = missing - found;
            AtomicLong taken = new AtomicLong();
            counters.update(key, Counter.NONE, current -> {
                taken.set(Math.min(current.free(), wanted));
                return taken.get() == 0 ? current : current.withShare(-taken.get());
            });
            found += taken.get();
        }
        if (found > 0) {
            long moved = found;
            counters.update(counterKey, Counter.NONE, current -> current.withShare(moved));
        }
        return found;
    }

    /**
     * Whether the counters hold, unused, what a prompt costs after all: shares that other prompts were moving between
     * counters while this one looked are back in a counter after a moment.
     */
    private boolean roomLeft(String day, long microUsd) {
        try {
            Thread.sleep(MOVE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        long free = 0;
        for (int shard = 0; shard < SHARDS; shard++) {
            free += counters.get(StorageKeys.spendShard(day, shard)).orElse(Counter.NONE).free();
        }
        return free >= microUsd;
    }

    static int shard(long userId) {
        return (int) Math.floorMod(userId, (long) SHARDS);
    }
}
