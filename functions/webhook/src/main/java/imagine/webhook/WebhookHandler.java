package imagine.webhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import imagine.core.HttpApi;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.Priming;
import imagine.core.SqsJobQueue;
import imagine.core.telegram.Update;
import imagine.core.telegram.User;
import imagine.core.telemetry.Log;
import imagine.core.telemetry.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code POST /telegram}: checks Telegram's secret header, reads the update, enqueues one job per
 * image (counted against the user's daily quota) and answers at once; a menu tap is saved, answered
 * in the response and shown by editing the menu message. Bad input is answered 200 so Telegram does not redeliver
 * it (and hold the chat's later updates behind it); so is a failure to read or write the user's state in S3, with a
 * reply that asks the user to send it again. Only a failure to enqueue is a 500, so Telegram retries. It reads
 * Lambda's stream itself ({@link HttpApi#read}): a cold start without Lambda's event serialization is shorter.
 */
public final class WebhookHandler implements RequestStreamHandler {
    static final String SECRET_HEADER = "x-telegram-bot-api-secret-token";
    private static final Log LOG = Log.of();

    private final WebhookComponents components;
    private final SecretToken secret;
    private final Conversation conversation;

    public WebhookHandler() {
        this(WebhookComponents.fromEnvironment());
        Priming.register(this::prime, () -> { });
    }

    WebhookHandler(WebhookComponents components) {
        this.components = components;
        this.secret = new SecretToken(components.settings().webhookSecret());
        this.conversation = new Conversation(components.settings(), components.catalog(), components.users(),
                components.results());
        components.catalog().get(components.settings().defaultModel());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        HttpApi.write(answer(HttpApi.read(input), context), output);
    }

    APIGatewayV2HTTPResponse answer(APIGatewayV2HTTPEvent event, Context context) {
        Log.attach(context);
        return handle(event, true);
    }

    /**
     * One update; with {@code report} it is logged as one line (its update, user, jobs, refusal and duration) and
     * counted in the metrics, and a refusal in today's counts.
     */
    private APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, boolean report) {
        long started = System.nanoTime();
        if (!secret.matches(HttpApi.header(event, SECRET_HEADER).orElse(null))) {
            if (report) {
                LOG.warn("refused an update without the right secret header", "status", 401);
            }
            return HttpApi.json(401, "{\"error\":\"unauthorized\"}");
        }
        Optional<Update> parsed = update(event);
        if (parsed.isEmpty()) {
            if (report) {
                LOG.warn("ignored a body that is not a Telegram update");
            }
            return HttpApi.json(200, "");
        }
        Update update = parsed.get();
        Log log = Log.of("update_id", update.updateId(), "user_id", userId(update));
        Answer answer;
        try {
            answer = conversation.answer(update);
        } catch (UserStateUnavailable e) {
            // Nothing was enqueued: the user sends it again rather than Telegram, which would hold the chat for it.
            if (report) {
                log.warn("asked the user to send it again", e);
            }
            answer = conversation.sendAgainLater(update);
        } catch (BudgetReached e) {
            answer = conversation.overBudget(update);
        }
        if (!answer.jobs().isEmpty()) {
            components.queue().enqueue(answer.jobs());
        }
        if (answer.edit() != null) {
            try {
                components.editor().edit(answer.edit());
            } catch (TelegramCallException e) {
                // The change is saved and the toast confirms it; only the menu message shows the old state.
                if (report) {
                    log.warn("could not edit the menu message", e);
                }
            }
        }
        if (report) {
            report(log, update, answer, Duration.ofNanos(System.nanoTime() - started).toMillis());
        }
        if (answer.reply() == null) {
            return HttpApi.json(200, "");
        }
        try {
            return HttpApi.json(200, Json.MAPPER.writeValueAsString(answer.reply()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void report(Log log, Update update, Answer answer, long millis) {
        String refused = answer.refused() == null ? null : answer.refused().metricName();
        log.info("update answered", "jobs", answer.jobs().size(),
                "models", answer.jobs().stream().map(Job::model).filter(Objects::nonNull).distinct()
                        .collect(Collectors.joining(",")),
                "refused", refused, "stage", "acknowledge", "duration_ms", millis);
        Metrics.event().count("Updates").count("JobsEnqueued", answer.jobs().size()).emit();
        if (refused != null) {
            Metrics.event().dimension("Reason", refused).count("Refusals").emit();
            components.counts().add(Long.toString(update.updateId()), "refusals." + refused);
        }
    }

    private static Long userId(Update update) {
        User from = update.callbackQuery() != null ? update.callbackQuery().from()
                : update.message() != null ? update.message().from() : null;
        return from == null ? null : from.id();
    }

    private static Optional<Update> update(APIGatewayV2HTTPEvent event) {
        try {
            Optional<byte[]> body = HttpApi.body(event);
            if (body.isEmpty()) {
                return Optional.empty();
            }
            Update update = Json.MAPPER.readValue(body.get(), Update.class);
            return update == null || update.updateId() <= 0 ? Optional.empty() : Optional.of(update);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The path of a four-prompt /imagine by a handler that reads the user's state but writes none and keeps
     * the jobs back, then one request through the SQS client that SQS refuses without touching the queue.
     */
    void prime() {
        WebhookComponents dryRun = new WebhookComponents(components.settings(), components.catalog(),
                jobs -> jobs.forEach(SqsJobQueue::entry), new ReadOnlyUserState(components.users()), edit -> { },
                ResultLookup.NONE);
        try (InputStream update = WebhookHandler.class.getResourceAsStream("priming-update.json")) {
            APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                    .withHeaders(Map.of(SECRET_HEADER, components.settings().currentWebhookSecret(),
                            "content-type", "application/json"))
                    .withBody(new String(update.readAllBytes(), StandardCharsets.UTF_8))
                    .build();
            new WebhookHandler(dryRun).handle(event, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException noNetwork) {
            // Where the snapshot is taken without network the reads fail; what ran before them is kept.
        }
        if (components.queue() instanceof SqsJobQueue sqs) {
            sqs.warmUp();
        }
    }
}
