package imagine.core;

import java.util.List;

/**
 * Where everything lives in the bucket. What belongs to one user sits under a prefix with the user's id, so
 * {@code /forget} finds it by listing; the bucket's lifecycle rules and the functions' policies name the same
 * top-level prefixes.
 */
public final class StorageKeys {
    private StorageKeys() {
    }

    /** A job's record: its state, lease and prediction. */
    public static String job(String jobId) {
        return "jobs/" + jobId + ".json";
    }

    /** A generated picture or video, copied from Replicate. */
    public static String media(long userId, String jobId, String extension) {
        return "media/" + userId + "/" + jobId + extension;
    }

    /** The picture a model works on for a job, handed to it through a short-lived link that names the job. */
    public static String input(long userId, String jobId) {
        return "inputs/" + userId + "/" + jobId;
    }

    /** What a result under buttons was made from. */
    public static String result(long userId, String jobId) {
        return "results/" + userId + "/" + jobId + ".json";
    }

    /** Where results were kept before they were kept per user; still read until they expire. */
    public static String legacyResult(String jobId) {
        return "results/" + jobId + ".json";
    }

    /** A prediction being made for the user, so {@code /cancel} can stop it at once. */
    public static String running(long userId, String jobId) {
        return "running/" + userId + "/" + jobId + ".json";
    }

    public static String runningPrefix(long userId) {
        return "running/" + userId + "/";
    }

    /** The images of one prompt gathering into an album. */
    public static String album(String albumId) {
        return "albums/" + albumId + ".json";
    }

    /** When the bot may next send to a chat. */
    public static String chatPacing(long chatId) {
        return "chats/" + chatId + ".json";
    }

    /** Where the bot's send slots are: one key per slot, so listing them from a second on says which are taken. */
    public static final String SEND_SLOTS = "pace/slots/";
    /** Where the senders looking for a send slot say so, so each can tell how many are before it. */
    public static final String SLOT_SENDERS = "pace/senders/";

    /** One of the bot's send slots: the {@code slot}-th of an epoch second (second and slot sort as they come). */
    public static String sendSlot(long epochSecond, int slot) {
        return sendSlotsOf(epochSecond) + String.format("%02d", slot) + ".json";
    }

    /** What the slots of an epoch second, and of every later one, come after in a listing. */
    public static String sendSlotsOf(long epochSecond) {
        return SEND_SLOTS + epochSecond + "/";
    }

    /**
     * A sender looking for {@code messages} send slots from {@code earliest} (epoch millis) on; senders sort by when
     * they may go, and {@code id} orders those that may go at once.
     */
    public static String slotSender(long earliest, int messages, String id) {
        return slotSendersFrom(earliest) + "-" + messages + "-" + id + ".json";
    }

    /** What the senders that may go at {@code earliest} (epoch millis) or later come after in a listing. */
    public static String slotSendersFrom(long earliest) {
        return SLOT_SENDERS + String.format("%013d", earliest);
    }

    public static String settings(long userId) {
        return "users/" + userId + ".json";
    }

    public static String cancelMark(long userId) {
        return "users/" + userId + ".cancel.json";
    }

    public static String usage(long userId, String day) {
        return "usage/" + userId + "/" + day + ".json";
    }

    /** The day's budget and how much of it the spend shards were given. */
    public static String spendBudget(String day) {
        return "spend/" + day + "/budget.json";
    }

    /** One of the day's spend counters (what the prompts of its users cost, and their share of the budget). */
    public static String spendShard(String day, int shard) {
        return "spend/" + day + "/" + shard + ".json";
    }

    /** One of the day's operations counters (results per model, refusals, failures, dead letters). */
    public static String counts(String day, int shard) {
        return "counts/" + day + "/" + shard + ".json";
    }

    /** The prefixes under which everything of one user lives, apart from the single documents above. */
    public static List<String> userPrefixes(long userId) {
        return List.of("usage/" + userId + "/", "results/" + userId + "/", "media/" + userId + "/",
                "inputs/" + userId + "/", runningPrefix(userId));
    }
}
