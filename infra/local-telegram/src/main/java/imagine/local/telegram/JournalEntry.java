package imagine.local.telegram;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** One line of the {@link Journal}: a change of state, or part of a snapshot. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = JournalEntry.ChatEntry.class, name = "chat"),
        @JsonSubTypes.Type(value = JournalEntry.MessageEntry.class, name = "message"),
        @JsonSubTypes.Type(value = JournalEntry.UserEntry.class, name = "user"),
        @JsonSubTypes.Type(value = JournalEntry.WebhookEntry.class, name = "webhook"),
        @JsonSubTypes.Type(value = JournalEntry.UpdateEntry.class, name = "update"),
        @JsonSubTypes.Type(value = JournalEntry.UpdatesDoneEntry.class, name = "updates_done"),
        @JsonSubTypes.Type(value = JournalEntry.LastUpdateIdEntry.class, name = "last_update_id")
})
sealed interface JournalEntry {
    /** A chat with the state fault injection gave it. */
    record ChatEntry(ObjectNode json, boolean blocked, Long migratedTo) implements JournalEntry {
    }

    /** A message as it stands after its latest change. */
    record MessageEntry(long chatId, int messageId, boolean fromBot, ObjectNode json, int editCount, boolean deleted,
                        List<String> reactions) implements JournalEntry {
    }

    /** A user as they last appeared. */
    record UserEntry(ObjectNode json) implements JournalEntry {
    }

    /** The webhook as set; null when deleted. */
    record WebhookEntry(Updates.Webhook webhook) implements JournalEntry {
    }

    /** An update queued for the bot; {@code date} in epoch seconds. */
    record UpdateEntry(int updateId, long chatId, String kind, long date, ObjectNode update) implements JournalEntry {
    }

    /** Updates delivered, confirmed or dropped. */
    record UpdatesDoneEntry(List<Integer> updateIds) implements JournalEntry {
    }

    /** The last update id handed out, so that ids keep increasing when no update is pending. */
    record LastUpdateIdEntry(int lastUpdateId) implements JournalEntry {
    }
}
