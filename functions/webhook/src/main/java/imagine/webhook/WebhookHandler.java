package imagine.webhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import imagine.core.HttpApi;
import imagine.core.Json;
import imagine.core.Priming;
import imagine.core.SqsJobQueue;
import imagine.core.telegram.Update;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

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
        return handle(event, context.getLogger());
    }

    private APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, LambdaLogger log) {
        if (!secret.matches(HttpApi.header(event, SECRET_HEADER).orElse(null))) {
            log.log("refused an update without the right secret header");
            return HttpApi.json(401, "{\"error\":\"unauthorized\"}");
        }
        Optional<Update> parsed = update(event);
        if (parsed.isEmpty()) {
            log.log("ignored a body that is not a Telegram update");
            return HttpApi.json(200, "");
        }
        Update update = parsed.get();
        Answer answer;
        try {
            answer = conversation.answer(update);
        } catch (UserStateUnavailable e) {
            // Nothing was enqueued: the user sends it again rather than Telegram, which would hold the chat for it.
            log.log("update " + update.updateId() + ": asked to send it again, " + e.getMessage());
            answer = conversation.sendAgainLater(update);
        }
        if (!answer.jobs().isEmpty()) {
            components.queue().enqueue(answer.jobs());
            log.log("update " + update.updateId() + ": enqueued " + answer.jobs().size() + " job(s)");
        }
        if (answer.edit() != null) {
            try {
                components.editor().edit(answer.edit());
            } catch (TelegramCallException e) {
                // The change is saved and the toast confirms it; only the menu message shows the old state.
                log.log("update " + update.updateId() + ": " + e.getMessage());
            }
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
            new WebhookHandler(dryRun).handle(event, SILENT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException noNetwork) {
            // Where the snapshot is taken without network the reads fail; what ran before them is kept.
        }
        if (components.queue() instanceof SqsJobQueue sqs) {
            sqs.warmUp();
        }
    }

    private static final LambdaLogger SILENT = new LambdaLogger() {
        @Override
        public void log(String message) {
        }

        @Override
        public void log(byte[] message) {
        }
    };
}
