package imagine.worker.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import imagine.core.Json;
import imagine.core.telegram.InlineKeyboardMarkup;
import imagine.core.telegram.Message;
import imagine.core.telegram.ReplyParameters;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The Bot API methods the worker calls. The token is part of every URL, so no URL leaves this class:
 * errors name the method, never the address.
 */
public final class TelegramClient {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final Duration CHAT_ACTION_TIMEOUT = Duration.ofSeconds(5);

    private final OkHttpClient http;
    private final HttpUrl base;
    private final HttpUrl files;
    private final String token;

    public TelegramClient(OkHttpClient http, String apiUrl, String token) {
        this.http = http;
        this.token = token;
        this.base = HttpUrl.get(apiUrl).newBuilder().addPathSegment("bot" + token).build();
        this.files = HttpUrl.get(apiUrl).newBuilder().addPathSegment("file").addPathSegment("bot" + token).build();
    }

    public Message sendMessage(long chatId, String text, Long replyTo) throws IOException {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("chat_id", chatId);
        params.put("text", text);
        if (replyTo != null) {
            params.put("reply_parameters", ReplyParameters.to(replyTo));
        }
        return call("sendMessage", params, Message.class);
    }

    /** Only a hint to the user: answered within seconds or not at all. */
    public void sendChatAction(long chatId, String action) throws IOException {
        Request request = new Request.Builder().url(base.newBuilder().addPathSegment("sendChatAction").build())
                .post(RequestBody.create(Json.MAPPER.writeValueAsBytes(Map.of("chat_id", chatId, "action", action)),
                        JSON))
                .build();
        Call call = http.newCall(request);
        call.timeout().timeout(CHAT_ACTION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        try (Response ignored = call.execute()) {
            // Whatever Telegram says: the result does not depend on it.
        } catch (IOException e) {
            throw redacted("sendChatAction", e);
        }
    }

    public TelegramFile getFile(String fileId) throws IOException {
        return call("getFile", Map.of("file_id", fileId), TelegramFile.class);
    }

    /** The bytes of a file getFile located; its address holds the token, so it stays in here too. */
    public byte[] download(TelegramFile file) throws IOException {
        HttpUrl url = files.newBuilder().addPathSegments(file.filePath()).build();
        try (Response response = http.newCall(new Request.Builder().url(url).get().build()).execute()) {
            if (!response.isSuccessful()) {
                throw new TelegramException("download file", response.code(), response.message(), null, null);
            }
            return response.body().bytes();
        } catch (IOException e) {
            throw redacted("download file", e);
        }
    }

    /** Any method whose parameters are plain JSON, such as setWebhook or setMyCommands. */
    public <T> T call(String method, Map<String, ?> params, Class<T> resultType) throws IOException {
        return call(method, RequestBody.create(Json.MAPPER.writeValueAsBytes(params), JSON), resultType);
    }

    /**
     * Uploads a file with sendPhoto, sendDocument, sendVideo or sendAnimation.
     *
     * @param field   the method's file field: photo, document, video or animation
     * @param caption null for none
     * @param buttons null for none
     */
    public Message sendFile(String method, String field, long chatId, Upload file, String caption, Long replyTo,
                            InlineKeyboardMarkup buttons) throws IOException {
        MultipartBody.Builder form = new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("chat_id", Long.toString(chatId))
                .addFormDataPart(field, file.fileName(), RequestBody.create(file.bytes(), MediaType.get(file.contentType())));
        if (caption != null) {
            form.addFormDataPart("caption", caption);
        }
        if (replyTo != null) {
            form.addFormDataPart("reply_parameters", Json.MAPPER.writeValueAsString(ReplyParameters.to(replyTo)));
        }
        if (buttons != null) {
            form.addFormDataPart("reply_markup", Json.MAPPER.writeValueAsString(buttons));
        }
        return call(method, form.build(), Message.class);
    }

    /**
     * Sends 2-10 files as one album.
     *
     * @param type     photo or document (an album holds one or the other)
     * @param captions each file's caption, null for none
     */
    public Message[] sendMediaGroup(long chatId, String type, List<Upload> files, List<String> captions, Long replyTo)
            throws IOException {
        MultipartBody.Builder form = new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("chat_id", Long.toString(chatId));
        List<Map<String, String>> media = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Upload file = files.get(i);
            Map<String, String> item = new LinkedHashMap<>();
            item.put("type", type);
            item.put("media", "attach://file" + i);
            if (captions.get(i) != null) {
                item.put("caption", captions.get(i));
            }
            media.add(item);
            form.addFormDataPart("file" + i, file.fileName(),
                    RequestBody.create(file.bytes(), MediaType.get(file.contentType())));
        }
        form.addFormDataPart("media", Json.MAPPER.writeValueAsString(media));
        if (replyTo != null) {
            form.addFormDataPart("reply_parameters", Json.MAPPER.writeValueAsString(ReplyParameters.to(replyTo)));
        }
        return call("sendMediaGroup", form.build(), Message[].class);
    }

    private <T> T call(String method, RequestBody body, Class<T> resultType) throws IOException {
        Request request = new Request.Builder().url(base.newBuilder().addPathSegment(method).build()).post(body).build();
        try (Response response = http.newCall(request).execute()) {
            JsonNode answer;
            try {
                answer = Json.MAPPER.readTree(response.body().byteStream());
            } catch (IOException e) {
                throw new TelegramException(method, response.code(), "unreadable answer", null, null);
            }
            if (answer != null && answer.path("ok").asBoolean(false)) {
                return Json.MAPPER.treeToValue(answer.get("result"), resultType);
            }
            JsonNode parameters = answer == null ? null : answer.get("parameters");
            throw new TelegramException(method,
                    answer == null ? response.code() : answer.path("error_code").asInt(response.code()),
                    answer == null ? response.message() : answer.path("description").asText(response.message()),
                    parameters != null && parameters.has("retry_after") ? parameters.get("retry_after").asInt() : null,
                    parameters != null && parameters.has("migrate_to_chat_id")
                            ? parameters.get("migrate_to_chat_id").asLong() : null);
        } catch (IOException e) {
            throw redacted(method, e);
        }
    }

    /** Dropping the cause keeps a message that might quote the URL, and so the token, out of logs. */
    private IOException redacted(String method, IOException e) {
        return new IOException(method + " failed: " + e.getClass().getSimpleName() + ": "
                + String.valueOf(e.getMessage()).replace(token, "<redacted>"));
    }

    /** A file to upload. */
    public record Upload(String fileName, String contentType, byte[] bytes) {
    }
}
