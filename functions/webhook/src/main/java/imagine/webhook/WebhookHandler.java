package imagine.webhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import imagine.core.AwsClients;
import imagine.core.Catalog;
import imagine.core.Environment;
import imagine.core.JobQueue;
import imagine.core.Json;
import imagine.core.Priming;
import imagine.core.SqsJobQueue;
import imagine.core.telegram.Update;
import imagine.core.usage.UsageLedger;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code POST /telegram}: checks Telegram's secret header, reads the update, enqueues one job per
 * image (counted against the user's daily quota) and answers at once; a menu tap is saved, answered
 * in the response and shown by editing the menu message. Bad input is answered 200 so Telegram does not redeliver it (and hold
 * the chat's later updates behind it); only a failure to enqueue is a 500, so Telegram retries.
 */
public final class WebhookHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final String SECRET_HEADER = "x-telegram-bot-api-secret-token";

    private final WebhookSettings settings;
    private final Catalog catalog;
    private final SecretToken secret;
    private final Conversation conversation;
    private final JobQueue queue;
    private final MessageEditor editor;

    public WebhookHandler() {
        this(Environment.variables());
    }

    private WebhookHandler(Map<String, String> env) {
        this(env, new SqsJobQueue(AwsClients.configure(SqsClient.builder(), env, "SQS").build(),
                required(env, "JOBS_QUEUE_URL")), AwsClients.s3(env), required(env, "MEDIA_BUCKET"));
    }

    private WebhookHandler(Map<String, String> env, SqsJobQueue queue, S3Client s3, String bucket) {
        this(env, queue, new S3UserState(s3, bucket, new UsageLedger(s3, bucket, Clock.systemUTC())),
                ResultLookup.s3(s3, bucket));
    }

    private WebhookHandler(Map<String, String> env, SqsJobQueue queue, UserState users, ResultLookup results) {
        this(WebhookSettings.from(env), Catalog.load(), queue, users, botApiEditor(env), results);
        Priming.register(() -> prime(queue, users), () -> { });
    }

    WebhookHandler(WebhookSettings settings, Catalog catalog, JobQueue queue, UserState users, MessageEditor editor) {
        this(settings, catalog, queue, users, editor, ResultLookup.NONE);
    }

    WebhookHandler(WebhookSettings settings, Catalog catalog, JobQueue queue, UserState users, MessageEditor editor,
                   ResultLookup results) {
        this.settings = settings;
        this.catalog = catalog;
        this.secret = new SecretToken(settings.webhookSecret());
        this.conversation = new Conversation(settings, catalog, users, results);
        this.queue = queue;
        this.editor = editor;
        catalog.get(settings.defaultModel());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return handle(event, context.getLogger());
    }

    private APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, LambdaLogger log) {
        if (!secret.matches(header(event.getHeaders(), SECRET_HEADER))) {
            log.log("refused an update without the right secret header");
            return respond(401, "{\"error\":\"unauthorized\"}");
        }
        Update update;
        try {
            update = Json.MAPPER.readValue(body(event), Update.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            log.log("ignored a body that is not a Telegram update: " + e.getClass().getSimpleName());
            return respond(200, "");
        }
        if (update == null || update.updateId() <= 0) {
            log.log("ignored JSON that is not a Telegram update");
            return respond(200, "");
        }
        Answer answer = conversation.answer(update);
        if (!answer.jobs().isEmpty()) {
            queue.enqueue(answer.jobs());
            log.log("update " + update.updateId() + ": enqueued " + answer.jobs().size() + " job(s)");
        }
        if (answer.edit() != null) {
            try {
                editor.edit(answer.edit());
            } catch (TelegramCallException e) {
                // The change is saved and the toast confirms it; only the menu message shows the old state.
                log.log("update " + update.updateId() + ": " + e.getMessage());
            }
        }
        if (answer.reply() == null) {
            return respond(200, "");
        }
        try {
            return respond(200, Json.MAPPER.writeValueAsString(answer.reply()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The path of a four-prompt /imagine by a handler that reads the user's state but writes none and keeps
     * the jobs back, then one request through the SQS client that SQS refuses without touching the queue.
     */
    void prime(SqsJobQueue sqs, UserState users) {
        WebhookHandler dryRun = new WebhookHandler(settings, catalog, jobs -> jobs.forEach(SqsJobQueue::entry),
                new ReadOnlyUserState(users), edit -> { });
        try (InputStream update = WebhookHandler.class.getResourceAsStream("priming-update.json")) {
            APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                    .withHeaders(Map.of(SECRET_HEADER, settings.currentWebhookSecret(), "content-type", "application/json"))
                    .withBody(new String(update.readAllBytes(), StandardCharsets.UTF_8))
                    .build();
            dryRun.handle(event, SILENT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException noNetwork) {
            // Where the snapshot is taken without network the reads fail; what ran before them is kept.
        }
        sqs.warmUp();
    }

    private static final LambdaLogger SILENT = new LambdaLogger() {
        @Override
        public void log(String message) {
        }

        @Override
        public void log(byte[] message) {
        }
    };

    private static String body(APIGatewayV2HTTPEvent event) {
        String body = event.getBody() == null ? "" : event.getBody();
        return event.getIsBase64Encoded()
                ? new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8)
                : body;
    }

    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        return headers.entrySet().stream()
                .filter(h -> h.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    private static APIGatewayV2HTTPResponse respond(int status, String body) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody(body)
                .build();
    }

    /**
     * Menu taps are answered in the response body; the menu message's edit is a second call, made here
     * rather than queued for a worker so the menu changes while the user looks at it.
     */
    private static MessageEditor botApiEditor(Map<String, String> env) {
        return new BotApiEditor(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build(),
                env.getOrDefault("TELEGRAM_API_URL", "https://api.telegram.org"), required(env, "TELEGRAM_BOT_TOKEN"));
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set");
        }
        return value;
    }
}
