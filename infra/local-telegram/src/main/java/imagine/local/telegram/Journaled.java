package imagine.local.telegram;

import java.util.List;

/** A part of the local Telegram's state that the {@link Journal} keeps. */
interface Journaled {
    /** Applies an entry at start; false when the entry belongs to another part. */
    boolean replay(JournalEntry entry);

    /** The part's current state as entries that {@link #replay} rebuilds it from. */
    List<JournalEntry> snapshot();
}
