package imagine.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.core.testing.LocalBucket;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UsageLedgerTest {
    private static final long USER = 1001;
    private final LocalBucket bucket = new LocalBucket();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-24T23:59:00Z"), ZoneOffset.UTC);
    private final UsageLedger ledger = new UsageLedger(bucket.client(), LocalBucket.NAME, clock);

    @AfterEach
    void close() {
        bucket.close();
    }

    @Test
    void concurrentMessagesOfOneUserAreCountedExactlyAndNeverPastTheLimit() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(12);
        List<Callable<UsageLedger.Take>> messages = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String op = "u" + i;
            messages.add(() -> ledger.take(USER, op, new Units(1, 0), new Units(15, 0)));
        }
        List<UsageLedger.Take> takes = new ArrayList<>();
        for (Future<UsageLedger.Take> take : threads.invokeAll(messages)) {
            takes.add(take.get());
        }
        threads.shutdown();

        assertThat(takes.stream().filter(UsageLedger.Take::granted)).hasSize(15);
        assertThat(ledger.used(USER)).isEqualTo(new Units(15, 0));
        assertThat(takes.stream().filter(take -> !take.granted()))
                .allSatisfy(take -> assertThat(take.left(new Units(15, 0)).images()).isZero());
    }

    @Test
    void concurrentMessagesWithoutALimitAreAllCounted() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(10);
        List<Callable<UsageLedger.Take>> messages = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String op = "u" + i;
            messages.add(() -> ledger.take(USER, op, new Units(2, 0), Units.NONE));
        }
        threads.invokeAll(messages);
        threads.shutdown();

        assertThat(ledger.used(USER)).isEqualTo(new Units(40, 0));
    }

    @Test
    void aRedeliveredUpdateIsGrantedAgainButCountedOnce() {
        assertThat(ledger.take(USER, "u500001", new Units(3, 0), new Units(4, 0)).granted()).isTrue();
        UsageLedger.Take again = ledger.take(USER, "u500001", new Units(3, 0), new Units(4, 0));

        assertThat(again.granted()).isTrue();
        assertThat(again.day()).isEqualTo("2026-11-24");
        assertThat(ledger.used(USER)).isEqualTo(new Units(3, 0));
    }

    @Test
    void askingForMoreThanIsLeftIsRefusedWithWhatIsLeft() {
        ledger.take(USER, "u1", new Units(3, 1), new Units(4, 2));
        UsageLedger.Take refused = ledger.take(USER, "u2", new Units(2, 0), new Units(4, 2));

        assertThat(refused.granted()).isFalse();
        assertThat(refused.left(new Units(4, 2))).as("no limit on texts").isEqualTo(new Units(1, 1, Integer.MAX_VALUE));
        assertThat(ledger.used(USER)).isEqualTo(new Units(3, 1));
        assertThat(ledger.take(USER, "u3", new Units(0, 2), new Units(4, 2)).granted()).isFalse();
    }

    @Test
    void aUnitGivenBackIsReturnedOnceHoweverOftenTheGiveBackRuns() {
        UsageLedger.Take take = ledger.take(USER, "u1", new Units(2, 0), new Units(2, 0));
        ledger.giveBack(USER, take.day(), "back:1-0-0", new Units(1, 0));
        ledger.giveBack(USER, take.day(), "back:1-0-0", new Units(1, 0));

        assertThat(ledger.used(USER)).isEqualTo(new Units(1, 0));
        assertThat(ledger.take(USER, "u2", new Units(1, 0), new Units(2, 0)).granted()).isTrue();
    }

    @Test
    void concurrentGiveBacksAndTakesKeepTheCountExact() throws Exception {
        ledger.take(USER, "u0", new Units(10, 0), Units.NONE);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Callable<Object>> work = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String job = "back:0-" + i;
            String op = "u" + (i + 1);
            work.add(() -> {
                ledger.giveBack(USER, "2026-11-24", job, new Units(1, 0));
                return null;
            });
            work.add(() -> ledger.take(USER, op, new Units(1, 0), Units.NONE));
        }
        for (Future<Object> done : threads.invokeAll(work)) {
            done.get();
        }
        threads.shutdown();

        assertThat(ledger.used(USER)).isEqualTo(new Units(10, 0));
    }
}
