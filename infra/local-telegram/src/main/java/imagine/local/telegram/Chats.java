package imagine.local.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The chats and their messages. One lock guards everything so that a check and the change it
 * allows (a reply target exists, then the reply is stored) happen as one step; waiters are woken
 * on every change. Changes are journaled under the same lock, so the journal has them in order.
 */
final class Chats implements Journaled {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<Long, Chat> chats = new HashMap<>();
    private final ChatEvents events;
    private final FileStore files;
    private final Journal journal;

    private static final class Chat {
        final ObjectNode json;
        final Map<Integer, StoredMessage> messages = new LinkedHashMap<>();
        final List<String> actions = new ArrayList<>();
        int lastMessageId;
        boolean blocked;
        Long migratedTo;

        Chat(ObjectNode json) {
            this.json = json;
        }
    }

    Chats(ChatEvents events, FileStore files, Journal journal) {
        this.events = events;
        this.files = files;
        this.journal = journal;
    }

    <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    void registerPrivate(ObjectNode user) {
        long chatId = user.get("id").asLong();
        register(chatId, () -> {
            ObjectNode chat = Json.object();
            chat.put("id", chatId);
            chat.put("first_name", user.get("first_name").asText());
            chat.put("type", "private");
            return chat;
        });
    }

    void registerGroup(long chatId, String title, String type) {
        register(chatId, () -> {
            ObjectNode chat = Json.object();
            chat.put("id", chatId);
            chat.put("title", title);
            chat.put("type", type);
            return chat;
        });
    }

    private void register(long chatId, Supplier<ObjectNode> json) {
        locked(() -> {
            if (!chats.containsKey(chatId)) {
                Chat chat = new Chat(json.get());
                chats.put(chatId, chat);
                journal.append(entry(chat));
            }
            return null;
        });
    }

    private static JournalEntry.ChatEntry entry(Chat chat) {
        return new JournalEntry.ChatEntry(chat.json, chat.blocked, chat.migratedTo);
    }

    ObjectNode chat(long chatId) {
        return locked(() -> chatOrThrow(chatId).json.deepCopy());
    }

    /** The chat JSON of a chat the bot may write to, or the error Telegram would answer. */
    ObjectNode writable(long chatId) {
        return locked(() -> {
            Chat chat = chats.get(chatId);
            if (chat == null) {
                throw ApiException.badRequest("chat not found");
            }
            if (chat.blocked) {
                throw new ApiException(403, "Forbidden: bot was blocked by the user", null);
            }
            if (chat.migratedTo != null) {
                ObjectNode parameters = Json.object();
                parameters.put("migrate_to_chat_id", chat.migratedTo);
                throw new ApiException(400, "Bad Request: group chat was upgraded to a supergroup chat", parameters);
            }
            return chat.json;
        });
    }

    StoredMessage append(long chatId, boolean fromBot, IntFunction<ObjectNode> build) {
        return locked(() -> {
            Chat chat = chats.get(chatId);
            int messageId = ++chat.lastMessageId;
            StoredMessage message = new StoredMessage(chatId, messageId, fromBot, build.apply(messageId));
            chat.messages.put(messageId, message);
            changed(message);
            return message;
        });
    }

    /** A message that exists (not deleted) in the chat, or null. */
    StoredMessage find(long chatId, int messageId) {
        return locked(() -> {
            Chat chat = chats.get(chatId);
            StoredMessage message = chat == null ? null : chat.messages.get(messageId);
            return message == null || message.deleted ? null : message;
        });
    }

    /** Publishes a change made to a stored message under {@link #locked}. */
    void changed(StoredMessage message) {
        lock.lock();
        try {
            journal.append(message.entry());
            events.publish(message.chatId, "message", message.view());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void chatAction(long chatId, String action) {
        locked(() -> {
            chats.get(chatId).actions.add(action);
            ObjectNode data = Json.object();
            data.put("action", action);
            events.publish(chatId, "action", data);
            changed.signalAll();
            return null;
        });
    }

    void toast(long chatId, String text, boolean showAlert) {
        ObjectNode data = Json.object();
        data.put("text", text == null ? "" : text);
        data.put("show_alert", showAlert);
        events.publish(chatId, "toast", data);
    }

    void block(long chatId) {
        locked(() -> {
            Chat chat = chatOrThrow(chatId);
            chat.blocked = true;
            journal.append(entry(chat));
            return null;
        });
    }

    void migrate(long groupChatId, long supergroupChatId) {
        locked(() -> {
            Chat group = chatOrThrow(groupChatId);
            group.migratedTo = supergroupChatId;
            journal.append(entry(group));
            registerGroup(supergroupChatId, group.json.path("title").asText(), "supergroup");
            return null;
        });
    }

    private Chat chatOrThrow(long chatId) {
        Chat chat = chats.get(chatId);
        if (chat == null) {
            throw new IllegalArgumentException("No chat " + chatId + " yet: a user must write from it first");
        }
        return chat;
    }

    @Override
    public boolean replay(JournalEntry entry) {
        return locked(() -> {
            if (entry instanceof JournalEntry.ChatEntry saved) {
                Chat chat = chats.computeIfAbsent(saved.json().get("id").asLong(), id -> new Chat(saved.json()));
                chat.blocked = saved.blocked();
                chat.migratedTo = saved.migratedTo();
                return true;
            }
            if (entry instanceof JournalEntry.MessageEntry saved) {
                Chat chat = chatOrThrow(saved.chatId());
                chat.messages.put(saved.messageId(), StoredMessage.of(saved));
                chat.lastMessageId = Math.max(chat.lastMessageId, saved.messageId());
                return true;
            }
            return false;
        });
    }

    @Override
    public List<JournalEntry> snapshot() {
        return locked(() -> {
            List<JournalEntry> entries = new ArrayList<>();
            for (Chat chat : chats.values()) {
                entries.add(entry(chat));
                chat.messages.values().forEach(message -> entries.add(message.entry()));
            }
            return entries;
        });
    }

    List<String> chatActions(long chatId) {
        return locked(() -> {
            Chat chat = chats.get(chatId);
            return chat == null ? List.of() : List.copyOf(chat.actions);
        });
    }

    Map<Integer, List<String>> reactions(long chatId) {
        return locked(() -> {
            Map<Integer, List<String>> reactions = new LinkedHashMap<>();
            Chat chat = chats.get(chatId);
            if (chat != null) {
                chat.messages.values().stream().filter(m -> !m.reactions.isEmpty())
                        .forEach(m -> reactions.put(m.messageId, List.copyOf(m.reactions)));
            }
            return reactions;
        });
    }

    List<BotMessage> botMessages(long chatId) {
        return locked(() -> {
            Chat chat = chats.get(chatId);
            List<BotMessage> result = new ArrayList<>();
            if (chat != null) {
                chat.messages.values().stream().filter(m -> m.fromBot).forEach(m -> result.add(snapshot(m)));
            }
            return result;
        });
    }

    /** Subscribes to a chat's events and returns the chat's messages as they stand at that instant. */
    List<ObjectNode> subscribe(ChatEvents.Subscription subscription) {
        return locked(() -> {
            Chat chat = chats.get(subscription.chatId());
            List<ObjectNode> views = new ArrayList<>();
            if (chat != null) {
                chat.messages.values().forEach(m -> views.add(m.view()));
            }
            return views;
        });
    }

    List<BotMessage> awaitBotMessages(long chatId, int count, Predicate<BotMessage> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                List<BotMessage> matching = botMessages(chatId).stream().filter(condition).toList();
                if (matching.size() >= count) {
                    return matching.subList(0, count);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("Timed out after " + timeout + " waiting for " + count
                            + " matching bot message(s) in chat " + chatId + "; matched " + matching.size()
                            + ", bot messages: " + describe(botMessages(chatId)));
                }
                changed.await(left, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for bot messages", e);
        } finally {
            lock.unlock();
        }
    }

    private static String describe(List<BotMessage> messages) {
        return messages.stream().map(m -> m.messageId() + ":" + (m.mediaKind() == null ? "" : m.mediaKind() + ":")
                + m.textOrCaption()).toList().toString();
    }

    private BotMessage snapshot(StoredMessage message) {
        JsonNode json = message.json;
        String kind = null;
        JsonNode media = null;
        for (String candidate : List.of("photo", "animation", "video", "document")) {
            if (json.has(candidate)) {
                kind = candidate;
                media = json.get(candidate);
                break;
            }
        }
        if (media != null && media.isArray()) {
            media = media.get(media.size() - 1);
        }
        String fileId = media == null ? null : media.path("file_id").asText();
        byte[] bytes = fileId == null ? null : files.byId(fileId).map(files::bytes).orElse(null);
        JsonNode reply = json.get("reply_to_message");
        return new BotMessage(message.chatId, message.messageId, textOrNull(json, "text"), textOrNull(json, "caption"),
                kind, fileId, bytes, media == null ? 0 : media.path("file_size").asLong(),
                media == null ? 0 : media.path("width").asInt(), media == null ? 0 : media.path("height").asInt(),
                reply == null ? null : reply.path("message_id").asInt(), json.get("reply_markup"),
                message.editCount, message.deleted, json.deepCopy());
    }

    private static String textOrNull(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null ? null : value.asText();
    }
}
