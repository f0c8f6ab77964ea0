package imagine.core.telegram;

/** Makes a message a reply, and still sends it when the original was deleted meanwhile. */
public record ReplyParameters(long messageId, boolean allowSendingWithoutReply) {

    public static ReplyParameters to(long messageId) {
        return new ReplyParameters(messageId, true);
    }
}
