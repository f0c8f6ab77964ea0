package imagine.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Telegram updates and the API Gateway v2 events that carry them, as the benchmark sends them. */
final class Updates {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A typical /imagine: four prompts, with the options people use. */
    static final String FOUR_PROMPTS = String.join("\n",
            "/imagine a red fox in the snow, watercolour",
            "a lighthouse at dusk --ar 16:9",
            "a city in a bottle --model seedream",
            "an owl reading a newspaper, oil painting");

    private Updates() {
    }

    static String text(long updateId, long userId, int messageId, String text) {
        ObjectNode update = JSON.createObjectNode();
        update.put("update_id", updateId);
        ObjectNode message = update.putObject("message");
        message.put("message_id", messageId);
        ObjectNode from = message.putObject("from");
        from.put("id", userId);
        from.put("is_bot", false);
        from.put("first_name", "User" + userId);
        from.put("language_code", "en");
        ObjectNode chat = message.putObject("chat");
        chat.put("id", userId);
        chat.put("first_name", "User" + userId);
        chat.put("type", "private");
        message.put("date", System.currentTimeMillis() / 1000);
        message.put("text", text);
        return update.toString();
    }

    /** events/sqs-job.json for a new job (a new id, so no claim carries over) in the given chat. */
    static String sqsJobEvent(Path project, String jobId, long chatId) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(project.resolve("events/sqs-job.json").toFile());
            ObjectNode record = (ObjectNode) event.get("Records").get(0);
            ObjectNode job = (ObjectNode) JSON.readTree(record.get("body").asText());
            job.put("job_id", jobId);
            job.put("chat_id", chatId);
            job.put("user_id", chatId);
            job.put("reply_to", 1);
            record.put("body", job.toString());
            record.put("messageId", "benchmark-" + jobId);
            return event.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** events/telegram-private-text.json with its update replaced. */
    static String apiEvent(Path project, String updateJson) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(project.resolve("events/telegram-private-text.json").toFile());
            event.put("body", updateJson);
            return event.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
