package imagine.worker;

import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.Task;
import imagine.core.usage.UsageLedger;
import imagine.core.usage.Units;

/**
 * A job that ends without a result does not count against the user's day: its unit goes back to the
 * day the webhook counted it under, once however often the ending is retried. An idea is counted for the
 * images it asks for; the ones it does not draw go back the same way. A write is counted as one text.
 */
final class QuotaRefunds {
    private final UsageLedger ledger;
    private final Catalog catalog;

    QuotaRefunds(UsageLedger ledger, Catalog catalog) {
        this.ledger = ledger;
        this.catalog = catalog;
    }

    /** A job without a result: its image or video, all the images an idea was counted for, or a write's text. */
    void giveBack(Job job) {
        giveBack(job, job.task() == Task.IDEA ? job.total() : 1, "back:" + job.jobId());
    }

    /** The images an idea was counted for but did not draw: prompts skipped as blocked, or fewer written. */
    void giveBackUndrawn(Job idea, int drawn) {
        if (drawn < idea.total()) {
            giveBack(idea, idea.total() - drawn, "undrawn:" + idea.jobId());
        }
    }

    private void giveBack(Job job, int count, String op) {
        if (job.quotaDay() == null) {
            return;
        }
        ledger.giveBack(job.userId(), job.quotaDay(), op, units(job, count));
    }

    /** A write is counted as the text model's output; every other job as its model's (images when it is gone). */
    private Units units(Job job, int count) {
        if (job.task() == Task.WRITE) {
            return Units.of(catalog.textModel(), count);
        }
        return catalog.find(job.model()).map(model -> Units.of(model, count)).orElse(new Units(count, 0));
    }
}
