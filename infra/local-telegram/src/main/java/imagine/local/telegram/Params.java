package imagine.local.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The parameters of one Bot API call, whatever way they came: JSON values, or strings from a
 * query, a form or multipart fields (where objects such as reply_markup arrive as JSON text).
 */
final class Params {
    private final ObjectNode fields;
    private final Map<String, Upload> files;
    private Runnable onSuccess = () -> { };

    Params(ObjectNode fields, Map<String, Upload> files) {
        this.fields = fields;
        this.files = files;
    }

    static Params of(ObjectNode fields) {
        return new Params(fields, Map.of());
    }

    /** Sets what marks the call as succeeded; it runs once, at the first {@link #succeeded()}. */
    void onSuccess(Runnable action) {
        onSuccess = action;
    }

    /**
     * Marks the call as succeeded. Methods that change a chat call it under the chat lock, so that
     * whoever sees the change also sees the call recorded.
     */
    void succeeded() {
        Runnable action = onSuccess;
        onSuccess = () -> { };
        action.run();
    }

    boolean has(String name) {
        JsonNode value = fields.get(name);
        return (value != null && !value.isNull()) || files.containsKey(name);
    }

    String string(String name) {
        JsonNode value = fields.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    Long longValue(String name) {
        String value = string(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid " + name + " specified");
        }
    }

    Integer intValue(String name) {
        Long value = longValue(name);
        return value == null ? null : Math.toIntExact(value);
    }

    boolean bool(String name) {
        String value = string(name);
        return value != null && (value.equals("true") || value.equals("1"));
    }

    /** A structured value (object or array), parsing it when it came as JSON text. */
    JsonNode json(String name) {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            String text = value.asText().trim();
            if (text.isEmpty()) {
                return null;
            }
            try {
                return Json.parse(text);
            } catch (RuntimeException e) {
                throw ApiException.badRequest("can't parse " + name + " JSON object");
            }
        }
        return value;
    }

    /** The uploaded file sent as the part {@code name}, or referenced as attach://part. */
    Upload upload(String name) {
        Upload direct = files.get(name);
        if (direct != null) {
            return direct;
        }
        return attachment(string(name));
    }

    Upload attachment(String reference) {
        if (reference != null && reference.startsWith("attach://")) {
            Upload attached = files.get(reference.substring("attach://".length()));
            if (attached == null) {
                throw ApiException.badRequest("wrong file identifier/HTTP URL specified");
            }
            return attached;
        }
        return null;
    }

    Long chatId() {
        String value = string("chat_id");
        if (value == null || value.isEmpty()) {
            throw ApiException.badRequest("chat_id is empty");
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("chat not found");
        }
    }
}
