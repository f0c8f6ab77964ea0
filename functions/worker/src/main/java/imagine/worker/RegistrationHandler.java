package imagine.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.CloudFormationCustomResourceEvent;
import imagine.core.Environment;
import imagine.core.Json;
import imagine.core.telemetry.Log;
import imagine.worker.replicate.ReplicateClient;
import imagine.worker.telegram.TelegramClient;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The deploy's two CloudFormation custom resources. {@code Custom::TelegramWebhook} registers the webhook:
 * setWebhook (with the secret and the update kinds the bot handles) and setMyCommands on create and update,
 * deleteWebhook on delete. {@code Custom::ReplicateSigningSecret} reads the Replicate account's webhook signing
 * secret and hands it to the stack as the attribute {@code Key}, masked (NoEcho), for the callback function. It
 * always answers CloudFormation, so a failure fails the deploy instead of hanging it.
 */
public final class RegistrationHandler implements RequestHandler<CloudFormationCustomResourceEvent, Void> {
    static final String REPLICATE_SIGNING_SECRET = "Custom::ReplicateSigningSecret";

    private final Registration registration;
    private final ReplicateClient replicate;
    private final OkHttpClient http;
    private final String secret;

    public RegistrationHandler() {
        this(new OkHttpClient(), Environment.variables());
    }

    private RegistrationHandler(OkHttpClient http, Map<String, String> env) {
        this(new Registration(new TelegramClient(http, env.getOrDefault("TELEGRAM_API_URL", "https://api.telegram.org"),
                env.get("TELEGRAM_BOT_TOKEN"))),
                new ReplicateClient(http, env.getOrDefault("REPLICATE_API_URL", "https://api.replicate.com"),
                        env.getOrDefault("REPLICATE_API_TOKEN", "")),
                http, currentSecret(env.getOrDefault("TELEGRAM_WEBHOOK_SECRET", "")));
    }

    RegistrationHandler(Registration registration, ReplicateClient replicate, OkHttpClient http, String secret) {
        this.registration = registration;
        this.replicate = replicate;
        this.http = http;
        this.secret = secret;
    }

    /** Telegram is given the first of {@code NEW,OLD} while the secret is rotated; the webhook accepts both. */
    static String currentSecret(String setting) {
        return setting.split(",")[0].trim();
    }

    @Override
    public Void handleRequest(CloudFormationCustomResourceEvent event, Context context) {
        Log.attach(context);
        boolean signingSecret = REPLICATE_SIGNING_SECRET.equals(event.getResourceType());
        Map<String, String> data = Map.of();
        String status = "SUCCESS";
        String reason = "";
        try {
            if (signingSecret) {
                if (!"Delete".equals(event.getRequestType())) {
                    data = Map.of("Key", replicate.webhookSigningSecret());
                }
            } else if ("Delete".equals(event.getRequestType())) {
                registration.unregister();
            } else {
                registration.register(String.valueOf(event.getResourceProperties().get("WebhookUrl")), secret);
            }
        } catch (IOException | RuntimeException e) {
            status = "FAILED";
            reason = e.getMessage();
            Log.of("resource_type", event.getResourceType()).error("custom resource failed", e);
        }
        respond(event, new Answer(status, reason, signingSecret ? "replicate-signing-secret" : "telegram-webhook", data),
                context);
        return null;
    }

    private record Answer(String status, String reason, String physicalId, Map<String, String> data) {
    }

    private void respond(CloudFormationCustomResourceEvent event, Answer result, Context context) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("Status", result.status());
        answer.put("Reason", result.reason().isEmpty() ? "See " + context.getLogStreamName() : result.reason());
        answer.put("PhysicalResourceId", result.physicalId());
        answer.put("StackId", event.getStackId());
        answer.put("RequestId", event.getRequestId());
        answer.put("LogicalResourceId", event.getLogicalResourceId());
        if (!result.data().isEmpty()) {
            // Masked wherever CloudFormation shows the attribute.
            answer.put("NoEcho", true);
            answer.put("Data", result.data());
        }
        try {
            // The pre-signed URL was signed without a content type, so none is sent.
            Request request = new Request.Builder().url(event.getResponseUrl())
                    .put(RequestBody.create(Json.MAPPER.writeValueAsBytes(answer), null)).build();
            try (Response response = http.newCall(request).execute()) {
                if (!response.isSuccessful()) {
                    Log.of().error("CloudFormation refused the answer", "status", response.code());
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            Log.of().error("could not answer CloudFormation", e);
        }
    }
}
