package imagine.local.telegram;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** A message of a chat as kept by the server; mutable, guarded by the {@link Chats} lock. */
final class StoredMessage {
    final long chatId;
    final int messageId;
    final boolean fromBot;
    ObjectNode json;
    int editCount;
    boolean deleted;
    List<String> reactions = new ArrayList<>();

    StoredMessage(long chatId, int messageId, boolean fromBot, ObjectNode json) {
        this.chatId = chatId;
        this.messageId = messageId;
        this.fromBot = fromBot;
        this.json = json;
    }

    static StoredMessage of(JournalEntry.MessageEntry entry) {
        StoredMessage message = new StoredMessage(entry.chatId(), entry.messageId(), entry.fromBot(), entry.json());
        message.editCount = entry.editCount();
        message.deleted = entry.deleted();
        message.reactions = new ArrayList<>(entry.reactions());
        return message;
    }

    JournalEntry.MessageEntry entry() {
        return new JournalEntry.MessageEntry(chatId, messageId, fromBot, json, editCount, deleted, reactions);
    }

    /** The message as the chat page shows it: the Telegram JSON plus local flags. */
    ObjectNode view() {
        ObjectNode view = json.deepCopy();
        view.put("from_bot", fromBot);
        view.put("deleted", deleted);
        view.put("edit_count", editCount);
        view.set("reactions", Json.MAPPER.valueToTree(reactions));
        return view;
    }
}
