package imagine.worker;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.Task;
import imagine.core.testing.LocalBucket;
import imagine.core.usage.Units;
import imagine.core.usage.DailySpend;
import imagine.core.usage.UsageLedger;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What goes back to the user's day when a job ends without a result, with the day's count in a real S3 store. */
class QuotaRefundsTest {
    private static final long USER = 1001;

    private final LocalBucket bucket = new LocalBucket();
    private final UsageLedger ledger = new UsageLedger(bucket.client(), LocalBucket.NAME, Clock.systemUTC());
    private final QuotaRefunds refunds = new QuotaRefunds(ledger, new DailySpend(bucket.client(), LocalBucket.NAME, 0),
            Catalog.load());

    @AfterEach
    void close() {
        bucket.close();
    }

    @Test
    void aWriteWithoutATextGivesItsTextBackOnceAndLeavesImagesAlone() {
        UsageLedger.Take take = ledger.take(USER, "u1", new Units(2, 0, 1), Units.NONE);
        Job write = Job.builder().jobId(Job.taskIdFor(1, Task.WRITE)).replyingTo(USER, 5).user(USER, "en")
                .prompt("a post").task(Task.WRITE).quotaDay(take.day()).build();

        refunds.giveBack(write);
        refunds.giveBack(write);

        assertThat(ledger.used(USER)).isEqualTo(new Units(2, 0, 0));
    }

    @Test
    void anImageAndAVideoGiveBackWhatTheyWereCountedAs() {
        UsageLedger.Take take = ledger.take(USER, "u1", new Units(1, 1, 0), Units.NONE);
        Job.Builder job = Job.builder().replyingTo(USER, 5).user(USER, "en").prompt("a fox").quotaDay(take.day());

        refunds.giveBack(job.jobId("1-0-0").model("ideogram").build());
        refunds.giveBack(job.jobId("1-1-0").model("seedance").build());

        assertThat(ledger.used(USER)).isEqualTo(Units.NONE);
    }

    @Test
    void theDaysSpendGetsBackWhatTheModelDidNotChargeOnceAndKeepsWhatItDid() {
        DailySpend spend = new DailySpend(bucket.client(), LocalBucket.NAME, 1_000_000);
        QuotaRefunds settling = new QuotaRefunds(ledger, spend, Catalog.load());
        Units three = new Units(3, 0, 0, 90_000);
        UsageLedger.Take take = ledger.take(USER, "u1", three, Units.NONE);
        assertThat(spend.take(USER, take.day(), "u1", three.microUsd(), false)).isTrue();
        Job.Builder job = Job.builder().replyingTo(USER, 5).user(USER, "en").prompt("a fox").model("ideogram")
                .quotaDay(take.day());

        settling.settle(job.jobId("1-0-0").build(), new Ending(Ending.Reason.REFUSED, false, "no"));
        settling.settle(job.jobId("1-0-0").build(), new Ending(Ending.Reason.REFUSED, false, "no"));
        settling.settle(job.jobId("1-1-0").build(), new Ending(Ending.Reason.CANCELED, true, null));
        settling.settle(job.jobId("1-2-0").build(), new Ending(Ending.Reason.CHAT_UNREACHABLE, true, null));

        assertThat(spend.spent(take.day()).microUsd()).as("two charged images of three").isEqualTo(60_000);
        assertThat(ledger.used(USER)).as("the refused and the unreachable one back, the canceled one paid")
                .isEqualTo(new Units(1, 0));
    }
}
