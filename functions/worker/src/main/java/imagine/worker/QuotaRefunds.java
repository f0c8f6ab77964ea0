package imagine.worker;

import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.usage.UsageLedger;
import imagine.core.usage.Units;

/**
 * A job that ends without a result does not count against the user's day: its unit goes back to the
 * day the webhook counted it under, once however often the ending is retried.
 */
final class QuotaRefunds {
    private final UsageLedger ledger;
    private final Catalog catalog;

    QuotaRefunds(UsageLedger ledger, Catalog catalog) {
        this.ledger = ledger;
        this.catalog = catalog;
    }

    void giveBack(Job job) {
        if (job.quotaDay() == null) {
            return;
        }
        Units unit = catalog.find(job.model()).map(model -> Units.of(model, 1)).orElse(new Units(1, 0));
        ledger.giveBack(job.userId(), job.quotaDay(), "back:" + job.jobId(), unit);
    }
}
