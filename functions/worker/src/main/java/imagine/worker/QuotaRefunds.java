package imagine.worker;

import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.Task;
import imagine.core.usage.DailySpend;
import imagine.core.usage.UsageLedger;
import imagine.core.usage.Units;

/**
 * A job that ends without a result does not count against the user's day: its unit goes back to the day the webhook
 * counted it under, once however often the ending is retried. An idea is counted for the images it asks for; the ones
 * it does not draw go back the same way. A write is counted as one text. What the model did not charge for goes back to
 * the day's budget the same way (an ending says whether it charged: the day's spend is settled from what was paid).
 */
final class QuotaRefunds {
    private final UsageLedger ledger;
    private final DailySpend spend;
    private final Catalog catalog;

    QuotaRefunds(UsageLedger ledger, DailySpend spend, Catalog catalog) {
        this.ledger = ledger;
        this.spend = spend;
        this.catalog = catalog;
    }

    /**
     * The job ended without a result: its units go back unless the user canceled what was paid for; its cost goes back
     * unless the model charged. An idea's images were never made, whatever its text model charged.
     */
    void settle(Job job, Ending ending) {
        if (ending.givesUnitBack()) {
            giveBack(job);
        }
        if (!ending.charged() || job.task() == Task.IDEA) {
            giveBackSpend(job, count(job), "back:" + job.jobId());
        }
    }

    /** A job without a result: its image or video, all the images an idea was counted for, or a write's text. */
    void giveBack(Job job) {
        giveBack(job, count(job), "back:" + job.jobId());
    }

    /** The images an idea was counted for but did not draw: prompts skipped as blocked, or fewer written. */
    void giveBackUndrawn(Job idea, int drawn) {
        if (drawn < idea.total()) {
            giveBack(idea, idea.total() - drawn, "undrawn:" + idea.jobId());
            giveBackSpend(idea, idea.total() - drawn, "undrawn:" + idea.jobId());
        }
    }

    private static int count(Job job) {
        return job.task() == Task.IDEA ? job.total() : 1;
    }

    private void giveBack(Job job, int count, String op) {
        if (job.quotaDay() == null) {
            return;
        }
        ledger.giveBack(job.userId(), job.quotaDay(), op, units(job, count));
    }

    private void giveBackSpend(Job job, int count, String op) {
        if (job.quotaDay() == null || !spend.enabled() || count == 0) {
            return;
        }
        spend.giveBack(job.userId(), job.quotaDay(), op, units(job, count).microUsd());
    }

    /** A write is counted as the text model's output; every other job as its model's (images when it is gone). */
    private Units units(Job job, int count) {
        if (job.task() == Task.WRITE) {
            return Units.of(catalog.textModel(), count);
        }
        return catalog.find(job.model()).map(model -> Units.of(model, count)).orElse(new Units(count, 0));
    }
}
