package imagine.benchmark;

import java.util.Locale;

/** A limit the simulation can lift to see whether it is the one that binds, and the setting that moves it. */
enum Limit {
    LAMBDA_ACCOUNT_CONCURRENCY("Lambda's account concurrency", "%.0f executions at once",
            "a higher Lambda concurrency quota (Service Quotas)"),
    LAMBDA_SCALING_RATE("Lambda's scaling rate per function", "%.0f new environments a second, 10 s of them at once",
            "none (AWS's rule); provisioned concurrency starts environments ahead"),
    WORKER_MAXIMUM_CONCURRENCY("the worker's MaximumConcurrency", "%.0f batches at once",
            "template parameter WorkerMaximumConcurrency (2 to 1000)"),
    SQS_POLLER_SCALING("the SQS event source's scaling", "%.0f more batches a second",
            "none (AWS's rule); the event source's provisioned mode keeps pollers ready"),
    API_GATEWAY_THROTTLING("API Gateway's throttling per route", "%.0f requests a second, 2 s of them at once",
            "template: HttpApi DefaultRouteSettings ThrottlingRateLimit and ThrottlingBurstLimit"),
    TELEGRAM_WEBHOOK_CONNECTIONS("Telegram's webhook connections", "%.0f at once",
            "none (setWebhook max_connections is already Telegram's maximum, 100)"),
    REPLICATE_CREATE_RATE("Replicate's prediction create rate", "%.0f a second",
            "a higher limit from Replicate (on request)"),
    REPLICATE_OTHER_RATE("Replicate's rate for other calls (polling)", "%.0f a second",
            "callback mode (template parameter PublicUrl), or a higher limit from Replicate"),
    TELEGRAM_PER_BOT("Telegram's per-bot send rate", "%.0f messages a second",
            "none but Telegram's paid broadcasts (allow_paid_broadcast)"),
    TELEGRAM_PER_CHAT("Telegram's per-chat send rate", "%.0f message a second",
            "none (Telegram's rule)"),
    ORIGIN_ONE_AT_A_TIME("one image at a time in one process", "%.0f image at a time",
            "the origin's own fix (asyncio.gather)");

    private final String label;
    private final String valueFormat;
    private final String setting;

    Limit(String label, String valueFormat, String setting) {
        this.label = label;
        this.valueFormat = valueFormat;
        this.setting = setting;
    }

    String label() {
        return label;
    }

    /** What moves the limit: a template setting, a request to its owner, or nothing. */
    String setting() {
        return setting;
    }

    String describe(double value) {
        return label + ", " + (Double.isInfinite(value) ? "none" : String.format(Locale.ROOT, valueFormat, value));
    }
}
