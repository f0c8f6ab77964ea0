package imagine.floor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The floor a webhook's cold start is measured against: the least a function can do to answer a Telegram
 * {@code /imagine} of several prompts as the bot does, with Jackson and the AWS SDK's SQS client and nothing else.
 * It reads the API Gateway event and the update as JSON trees, checks the secret header, puts one job per prompt
 * on the queue in one SendMessageBatch and answers with a {@code sendMessage} in the response body. The SDK is
 * built the way its documentation shows, with its default credentials and region lookups and the light
 * url-connection HTTP client.
 */
public class SqsFloorWebhook implements RequestStreamHandler {
    protected static final ObjectMapper JSON = new ObjectMapper();

    private final SqsClient sqs;
    private final String queueUrl = System.getenv("JOBS_QUEUE_URL");
    private final String secret = System.getenv("TELEGRAM_WEBHOOK_SECRET");

    public SqsFloorWebhook() {
        SqsClientBuilder builder = SqsClient.builder().httpClient(UrlConnectionHttpClient.create());
        String endpoint = System.getenv("SQS_ENDPOINT_URL");
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        sqs = builder.build();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = JSON.readTree(input);
        if (!secret.equals(event.path("headers").path("x-telegram-bot-api-secret-token").asText())) {
            answer(output, 401, JSON.createObjectNode().put("error", "unauthorized"));
            return;
        }
        JsonNode update = JSON.readTree(event.path("body").asText());
        JsonNode message = update.path("message");
        long userId = message.path("from").path("id").asLong();
        JsonNode settings = settings(userId);
        String model = settings.path("model").asText("ideogram");
        String[] prompts = message.path("text").asText().replaceFirst("^/imagine(@\\S+)?\\s*", "").split("\n");
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < prompts.length; i++) {
            String jobId = update.path("update_id").asLong() + "-" + i + "-0";
            ObjectNode job = JSON.createObjectNode()
                    .put("job_id", jobId)
                    .put("chat_id", message.path("chat").path("id").asLong())
                    .put("reply_to", message.path("message_id").asLong())
                    .put("user_id", userId)
                    .put("prompt", prompts[i].strip())
                    .put("model", model);
            entries.add(SendMessageBatchRequestEntry.builder().id(jobId).messageBody(job.toString()).build());
        }
        sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        answer(output, 200, JSON.createObjectNode()
                .put("method", "sendMessage")
                .put("chat_id", message.path("chat").path("id").asLong())
                .put("text", "Got it: " + prompts.length + " prompts."));
    }

    /** The user's settings; this floor keeps none. */
    protected JsonNode settings(long userId) throws IOException {
        return JSON.createObjectNode();
    }

    private static void answer(OutputStream output, int status, ObjectNode body) throws IOException {
        ObjectNode response = JSON.createObjectNode().put("statusCode", status);
        response.putObject("headers").put("content-type", "application/json");
        response.put("body", body.toString());
        JSON.writeValue(output, response);
    }
}
