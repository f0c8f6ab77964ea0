package imagine.webhook;

/** Edits a message of the bot's: the one Bot API call the webhook makes itself. */
interface MessageEditor {

    /** Returns when Telegram shows the edit (or already showed that content); throws otherwise. */
    void edit(MessageEdit edit);
}
