package imagine.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.CloudFormationCustomResourceEvent;
import imagine.core.Environment;
import imagine.core.Json;
import imagine.worker.telegram.TelegramClient;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A CloudFormation custom resource that registers the webhook as part of the deploy: setWebhook
 * (with the secret and the update kinds the bot handles) and setMyCommands on create and update,
 * deleteWebhook on delete. It always answers CloudFormation, so a failure fails the deploy instead
 * of hanging it.
 */
public final class RegistrationHandler implements RequestHandler<CloudFormationCustomResourceEvent, Void> {
    private final Registration registration;
    private final OkHttpClient http;
    private final String secret;

    public RegistrationHandler() {
        this(new OkHttpClient(), Environment.variables());
    }

    private RegistrationHandler(OkHttpClient http, Map<String, String> env) {
        this(new Registration(new TelegramClient(http, env.getOrDefault("TELEGRAM_API_URL", "https://api.telegram.org"),
                env.get("TELEGRAM_BOT_TOKEN"))), http, env.get("TELEGRAM_WEBHOOK_SECRET"));
    }

    RegistrationHandler(Registration registration, OkHttpClient http, String secret) {
        this.registration = registration;
        this.http = http;
        this.secret = secret;
    }

    @Override
    public Void handleRequest(CloudFormationCustomResourceEvent event, Context context) {
        String status = "SUCCESS";
        String reason = "";
        try {
            if ("Delete".equals(event.getRequestType())) {
                registration.unregister();
            } else {
                registration.register(String.valueOf(event.getResourceProperties().get("WebhookUrl")), secret);
            }
        } catch (IOException | RuntimeException e) {
            status = "FAILED";
            reason = e.getMessage();
            context.getLogger().log("webhook registration failed: " + reason);
        }
        respond(event, status, reason, context);
        return null;
    }

    private void respond(CloudFormationCustomResourceEvent event, String status, String reason, Context context) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("Status", status);
        answer.put("Reason", reason.isEmpty() ? "See " + context.getLogStreamName() : reason);
        answer.put("PhysicalResourceId", "telegram-webhook");
        answer.put("StackId", event.getStackId());
        answer.put("RequestId", event.getRequestId());
        answer.put("LogicalResourceId", event.getLogicalResourceId());
        try {
            // The pre-signed URL was signed without a content type, so none is sent.
            Request request = new Request.Builder().url(event.getResponseUrl())
                    .put(RequestBody.create(Json.MAPPER.writeValueAsBytes(answer), null)).build();
            try (Response response = http.newCall(request).execute()) {
                if (!response.isSuccessful()) {
                    context.getLogger().log("CloudFormation refused the answer: HTTP " + response.code());
                }
            }
        } catch (IOException e) {
            context.getLogger().log("could not answer CloudFormation: " + e.getMessage());
        }
    }
}
