package imagine.worker;

/** Spaces the bot's messages so that neither Telegram's per-chat limit nor its per-bot limit is ever reached. */
interface ChatPacer {
    ChatPacer NONE = (chatId, messages) -> { };

    /**
     * Returns when {@code messages} (an album counts each picture) may go to this chat; throws {@link RetryLater} when
     * that is too far off.
     */
    void awaitTurn(long chatId, int messages) throws InterruptedException;
}
