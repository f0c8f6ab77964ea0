package imagine.local.telegram;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** What users do in the chats: each action is stored as a message and queued as an update. */
final class UserActions implements Journaled {
    private final Chats chats;
    private final Media media;
    private final Updates updates;
    private final CallbackQueries callbackQueries;
    private final Journal journal;
    private final Map<Long, ObjectNode> users = new HashMap<>();

    UserActions(Chats chats, Media media, Updates updates, CallbackQueries callbackQueries, Journal journal) {
        this.chats = chats;
        this.media = media;
        this.updates = updates;
        this.callbackQueries = callbackQueries;
        this.journal = journal;
    }

    /**
     * A text as Telegram Desktop sends it: longer than a message may be, it is several messages in a row, each its
     * own update. Returns them in order.
     */
    List<Message> sendText(Long groupChatId, long userId, String firstName, String languageCode, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("A message needs text");
        }
        ObjectNode user = user(userId, firstName, languageCode);
        return chats.locked(() -> TextParts.of(text).stream().map(part -> send(groupChatId, user, message -> {
            message.put("text", part);
            if (part.startsWith("/")) {
                ArrayNode entities = message.putArray("entities");
                ObjectNode command = entities.addObject();
                command.put("offset", 0);
                int end = part.indexOf(' ');
                int newline = part.indexOf('\n');
                int length = end < 0 ? part.length() : end;
                command.put("length", newline >= 0 && newline < length ? newline : length);
                command.put("type", "bot_command");
            }
        })).toList());
    }

    /** A photo with a caption Telegram takes (a longer one is refused as Telegram refuses it), or none. */
    Message sendPhoto(Long groupChatId, long userId, String firstName, String languageCode, byte[] image, String caption) {
        if (caption != null && caption.length() > Text.CAPTION_LIMIT) {
            throw ApiException.badRequest("message caption is too long");
        }
        ArrayNode photo = media.photo(image);
        return send(groupChatId, user(userId, firstName, languageCode), message -> {
            message.set("photo", photo);
            if (caption != null && !caption.isEmpty()) {
                message.put("caption", caption);
            }
        });
    }

    void press(long userId, long chatId, int messageId, String data) {
        StoredMessage message = chats.find(chatId, messageId);
        if (message == null) {
            throw new IllegalArgumentException("No message " + messageId + " in chat " + chatId);
        }
        ObjectNode query = Json.object();
        query.put("id", callbackQueries.register(chatId));
        query.set("from", knownUser(userId));
        query.set("message", chats.locked(() -> message.json.deepCopy()));
        query.put("chat_instance", Long.toString(Math.abs(chatId * 31 + 7)));
        query.put("data", data);
        updates.enqueue(chatId, "callback_query", query);
    }

    private Message send(Long groupChatId, ObjectNode user, Consumer<ObjectNode> content) {
        long userId = user.get("id").asLong();
        long chatId = groupChatId == null ? userId : groupChatId;
        if (groupChatId == null) {
            chats.registerPrivate(user);
        } else {
            chats.registerGroup(groupChatId, "Imagine local group", "group");
        }
        StoredMessage stored = chats.locked(() -> {
            StoredMessage message = chats.append(chatId, false, messageId -> {
                ObjectNode json = Json.object();
                json.put("message_id", messageId);
                json.set("from", user);
                json.set("chat", chats.chat(chatId));
                json.put("date", Instant.now().getEpochSecond());
                content.accept(json);
                return json;
            });
            // queued under the chat lock so that update order matches message order
            updates.enqueue(chatId, "message", message.json.deepCopy());
            return message;
        });
        return new Message(chatId, stored.messageId, userId, stored.json.path("text").asText(null),
                stored.json.path("caption").asText(null), stored.json.deepCopy());
    }

    private synchronized ObjectNode user(long userId, String firstName, String languageCode) {
        ObjectNode user = Json.object();
        user.put("id", userId);
        user.put("is_bot", false);
        user.put("first_name", firstName == null || firstName.isBlank() ? "User " + userId : firstName);
        if (languageCode != null && !languageCode.isBlank()) {
            user.put("language_code", languageCode);
        }
        if (!user.equals(users.put(userId, user))) {
            journal.append(new JournalEntry.UserEntry(user));
        }
        return user;
    }

    private synchronized ObjectNode knownUser(long userId) {
        ObjectNode user = users.get(userId);
        return user != null ? user : user(userId, null, null);
    }

    @Override
    public synchronized boolean replay(JournalEntry entry) {
        if (entry instanceof JournalEntry.UserEntry saved) {
            users.put(saved.json().get("id").asLong(), saved.json());
            return true;
        }
        return false;
    }

    @Override
    public synchronized List<JournalEntry> snapshot() {
        return users.values().stream().<JournalEntry>map(JournalEntry.UserEntry::new).toList();
    }
}
