package imagine.webhook;

import imagine.core.AwsClients;
import imagine.core.Catalog;
import imagine.core.Environment;
import imagine.core.JobQueue;
import imagine.core.SqsJobQueue;
import imagine.core.telegram.TelegramApi;
import imagine.core.usage.DailyCounts;
import imagine.core.usage.DailySpend;
import imagine.core.usage.Tally;
import imagine.core.usage.UsageLedger;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the webhook works with, built once per execution environment from its variables, or given by a test.
 *
 * @param queue   where jobs go
 * @param users   settings, daily usage and cancel marks
 * @param editor  edits a menu message after a button tap
 * @param results what a result under buttons was made from
 * @param counts  where today's refusals are counted, for /stats
 */
record WebhookComponents(WebhookSettings settings, Catalog catalog, JobQueue queue, UserState users,
                         MessageEditor editor, ResultLookup results, Tally counts) {

    /** Counting nothing. */
    WebhookComponents(WebhookSettings settings, Catalog catalog, JobQueue queue, UserState users, MessageEditor editor,
                      ResultLookup results) {
        this(settings, catalog, queue, users, editor, results, Tally.NONE);
    }

    static WebhookComponents fromEnvironment() {
        Map<String, String> env = Environment.variables();
        S3Client s3 = AwsClients.s3(env);
        String bucket = required(env, "MEDIA_BUCKET");
        WebhookSettings settings = WebhookSettings.from(env);
        return new WebhookComponents(settings, Catalog.load(),
                new SqsJobQueue(AwsClients.sqs(env), required(env, "JOBS_QUEUE_URL")),
                new S3UserState(s3, bucket, new UsageLedger(s3, bucket, Clock.systemUTC()),
                        new DailySpend(s3, bucket, DailySpend.budgetFrom(env.get("DAILY_BUDGET_USD"))),
                        settings.adminUserIds()),
                menuEditor(env), ResultLookup.s3(s3, bucket), new DailyCounts(s3, bucket, Clock.systemUTC()));
    }

    /**
     * Menu taps are answered in the response body; the menu message's edit is a second call, made by the webhook
     * rather than queued for a worker so the menu changes while the user looks at it. The JDK's HTTP client is built
     * at the first edit: it would add a few hundred milliseconds to every cold start, and an /imagine never edits.
     */
    private static MessageEditor menuEditor(Map<String, String> env) {
        String apiUrl = TelegramApi.url(env);
        String token = required(env, "TELEGRAM_BOT_TOKEN");
        return new MessageEditor() {
            private MessageEditor editor;

            @Override
            public synchronized void edit(MessageEdit edit) {
                if (editor == null) {
                    editor = new BotApiEditor(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build(),
                            apiUrl, token);
                }
                editor.edit(edit);
            }
        };
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set");
        }
        return value;
    }
}
