package imagine.worker;

/** Spaces the bot's messages to one chat so Telegram's per-chat limit is never reached. */
interface ChatPacer {
    ChatPacer NONE = chatId -> { };

    /** Returns when this chat may receive the next message; throws {@link RetryLater} when that is too far off. */
    void awaitTurn(long chatId) throws InterruptedException;
}
