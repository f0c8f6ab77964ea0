package imagine.local.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The browser chat page: static files, the JSON actions of a user and a Server-Sent Events stream per chat. */
final class ChatPage {
    private static final Map<String, String> STATIC = Map.of(
            "/", "index.html", "/chat/index.html", "index.html", "/chat/app.js", "app.js", "/chat/app.css", "app.css");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

    private final LocalTelegram telegram;
    private final Chats chats;
    private final ChatEvents events;
    private final FileStore files;

    ChatPage(LocalTelegram telegram, Chats chats, ChatEvents events, FileStore files) {
        this.telegram = telegram;
        this.chats = chats;
        this.events = events;
        this.files = files;
    }

    void handle(HttpExchange exchange, String path) throws IOException {
        String resource = STATIC.get(path);
        try {
            if (resource != null) {
                staticFile(exchange, resource);
            } else if (path.equals("/chat/info")) {
                ObjectNode info = Json.object();
                info.put("bot_username", telegram.botUsername());
                info.put("group_chat_id", LocalTelegram.GROUP_CHAT_ID);
                HttpResponses.json(exchange, 200, info);
            } else if (path.equals("/chat/events")) {
                stream(exchange, Long.parseLong(query(exchange, "chat")));
            } else if (path.startsWith("/chat/file/")) {
                file(exchange, path.substring("/chat/file/".length()));
            } else if (path.equals("/chat/send") || path.equals("/chat/photo") || path.equals("/chat/press")) {
                action(exchange, path.substring("/chat/".length()));
            } else {
                HttpResponses.bytes(exchange, 404, "text/plain", "Not found".getBytes(StandardCharsets.UTF_8));
            }
        } catch (IllegalArgumentException | ApiException e) {
            ObjectNode error = Json.object();
            error.put("error", e.getMessage());
            HttpResponses.json(exchange, 400, error);
        }
    }

    private void staticFile(HttpExchange exchange, String name) throws IOException {
        try (InputStream in = ChatPage.class.getResourceAsStream("/chat/" + name)) {
            String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
            HttpResponses.bytes(exchange, 200, type, in.readAllBytes());
        }
    }

    private void action(HttpExchange exchange, String action) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            HttpResponses.bytes(exchange, 405, "text/plain", new byte[0]);
            return;
        }
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = Json.parse(in.readAllBytes());
        }
        long userId = body.path("user_id").asLong();
        long chatId = body.path("chat_id").asLong(userId);
        Long group = chatId == userId ? null : chatId;
        String name = body.path("first_name").asText(null);
        String language = body.path("language_code").asText(null);
        ObjectNode result = Json.object();
        switch (action) {
            case "send" -> {
                List<Message> sent = telegram.userSendsText(group, userId, name, language, body.path("text").asText());
                result.put("message_id", sent.get(0).messageId());
                sent.forEach(message -> result.withArray("message_ids").add(message.messageId()));
            }
            case "photo" -> result.put("message_id", telegram.userSendsPhoto(group, userId, name, language,
                    Base64.getDecoder().decode(body.path("data").asText()), body.path("caption").asText(null)).messageId());
            default -> telegram.userPresses(userId, chatId, body.path("message_id").asInt(), body.path("data").asText());
        }
        result.put("ok", true);
        HttpResponses.json(exchange, 200, result);
    }

    private void file(HttpExchange exchange, String fileId) throws IOException {
        StoredFile file = files.byId(fileId).orElse(null);
        if (file == null) {
            HttpResponses.bytes(exchange, 404, "text/plain", new byte[0]);
            return;
        }
        String path = file.filePath();
        String type = path.endsWith(".png") ? "image/png" : path.endsWith(".jpg") || path.endsWith(".jpeg") ? "image/jpeg"
                : path.endsWith(".gif") ? "image/gif" : path.endsWith(".mp4") ? "video/mp4" : "application/octet-stream";
        exchange.getResponseHeaders().set("Cache-Control", "max-age=86400");
        HttpResponses.bytes(exchange, 200, type, files.bytes(file));
    }

    /** Sends the chat's messages, then its live events, until the page goes away or the server stops. */
    private void stream(HttpExchange exchange, long chatId) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        ChatEvents.Subscription subscription = events.subscribe(chatId);
        try (OutputStream out = exchange.getResponseBody()) {
            List<ObjectNode> history = chats.subscribe(subscription);
            for (ObjectNode message : history) {
                out.write(("event: message\ndata: " + message + "\n\n").getBytes(StandardCharsets.UTF_8));
            }
            out.write("event: ready\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (!Thread.currentThread().isInterrupted()) {
                String frame = subscription.queue().poll(15, TimeUnit.SECONDS);
                out.write((frame == null ? ": keep-alive\n\n" : frame).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the page was closed
        } finally {
            events.unsubscribe(subscription);
        }
    }

    private static String query(HttpExchange exchange, String name) {
        ObjectNode fields = Json.object();
        RequestParser.decodeForm(exchange.getRequestURI().getRawQuery(), fields);
        JsonNode value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("Missing query parameter " + name);
        }
        return value.asText();
    }
}
