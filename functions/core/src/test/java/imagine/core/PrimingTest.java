package imagine.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What runs before a SnapStart snapshot: the hot path, often enough to be compiled, and never past the budget. */
class PrimingTest {

    @Test
    void aQuickHotPathRunsEveryRoundSoTheSnapshotHoldsItCompiled() {
        AtomicInteger runs = new AtomicInteger();
        AtomicLong now = new AtomicLong();

        int rounds = Priming.rounds(() -> {
            runs.incrementAndGet();
            now.addAndGet(1_000_000);
        }, now::get);

        assertThat(rounds).isEqualTo(Priming.ROUNDS).isEqualTo(runs.get()).isGreaterThan(1);
    }

    @Test
    void aSlowHotPathStopsAtTheBudgetSoTheInitStaysWithinLambdasLimit() {
        AtomicInteger runs = new AtomicInteger();
        AtomicLong now = new AtomicLong();
        long second = 1_000_000_000L;

        Priming.rounds(() -> {
            runs.incrementAndGet();
            now.addAndGet(second);
        }, now::get);

        assertThat(runs.get()).isEqualTo((int) (Priming.BUDGET.toNanos() / second));
    }

    @Test
    void aHotPathSlowerThanTheBudgetStillRunsOnce() {
        AtomicInteger runs = new AtomicInteger();
        AtomicLong now = new AtomicLong();

        Priming.rounds(() -> {
            runs.incrementAndGet();
            now.addAndGet(Priming.BUDGET.toNanos() * 2);
        }, now::get);

        assertThat(runs.get()).isOne();
    }
}
