package imagine.worker;

import imagine.core.S3Documents;
import imagine.core.StorageKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bot's messages to Telegram, all chats and all workers together, at most {@code perSecond} a second: each second
 * has that many send slots, evenly spaced, and each slot is an S3 key of its own that a send takes by creating it
 * (If-None-Match). No key is rewritten, so no document becomes the place every worker queues at. So that senders
 * arriving at once do not all try the same first free slot, each first says it is looking (a key of its own under
 * {@link StorageKeys#SLOT_SENDERS}), lists who is looking before it, and takes the free slot that many places on: a
 * sender alone takes the first, a crowd takes as many different ones, and a refused create only means a sender did
 * not see another in time; it looks again, a little further on each time.
 */
final class TelegramSendSlots {
    /** Telegram's "about 30 messages a second" per bot, less what the webhook's unpaced replies may take. */
    static final int DEFAULT_PER_SECOND = 25;
    /** How far past its earliest moment a send looks for a slot; when they are all taken it waits on the queue. */
    static final Duration WINDOW = Duration.ofSeconds(5);
    private static final int REFUSALS = 6;

    private final S3Client s3;
    private final String bucket;
    private final S3Documents<Slot> slots;
    private final S3Documents<Looking> senders;
    private final int perSecond;
    private final Clock clock;

    TelegramSendSlots(S3Client s3, String bucket, int perSecond, Clock clock) {
        if (perSecond < 1 || perSecond > 100) {
            throw new IllegalArgumentException("Telegram's sends per second must be 1 to 100, not " + perSecond);
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.slots = new S3Documents<>(s3, bucket, Slot.class);
        this.senders = new S3Documents<>(s3, bucket, Looking.class);
        this.perSecond = perSecond;
        this.clock = clock;
    }

    /** @param at epoch millis the slot is for */
    record Slot(long at) {
    }

    /** A sender looking for {@code messages} slots from {@code earliest} (epoch millis) on. */
    record Looking(long earliest, int messages) {
    }

    /** The slots one send holds, and when it goes: at the latest of them. */
    record Taken(long at, List<String> keys) {
    }

    private record Free(String key, long at) {
    }

    /**
     * Takes a slot for each of {@code messages} (an album counts each picture) from {@code earliest} (epoch millis) on;
     * throws {@link RetryLater} when the next {@link #WINDOW} has too few free.
     */
    Taken take(long earliest, int messages) {
        String me = StorageKeys.slotSender(earliest, messages, UUID.randomUUID().toString());
        senders.put(me, new Looking(earliest, messages));
        try {
            return take(me, earliest, messages);
        } finally {
            forget(me);
        }
    }

    private Taken take(String me, long earliest, int messages) {
        List<String> held = new ArrayList<>();
        long at = earliest;
        int refused = 0;
        int ahead = messagesBefore(me, earliest);
        List<Free> free = free(earliest);
        while (held.size() < messages) {
            if (free.isEmpty()) {
                release(held);
                long wait = earliest + WINDOW.toMillis() - clock.millis();
                throw new RetryLater("Telegram's rate for the bot is taken for the next " + WINDOW.toSeconds() + " s",
                        Duration.ofMillis(wait + ThreadLocalRandom.current().nextLong(WINDOW.toMillis())));
            }
            int place = ahead + (refused == 0 ? 0 : ThreadLocalRandom.current().nextInt(1 << refused));
            Free pick = free.remove(Math.min(place, free.size() - 1));
            if (slots.create(pick.key(), new Slot(pick.at())).isPresent()) {
                held.add(pick.key());
                at = Math.max(at, pick.at());
            } else if (++refused < REFUSALS) {
                ahead = messagesBefore(me, earliest);
                free = free(earliest);
            } else {
                release(held);
                throw new RetryLater("too many workers are taking Telegram's send slots at once",
                        Duration.ofSeconds(1));
            }
        }
        return new Taken(at, List.copyOf(held));
    }

    /** Gives back slots taken for a send that will not go at their time. */
    void release(Taken taken) {
        release(taken.keys());
    }

    private void release(List<String> keys) {
        keys.forEach(this::forget);
    }

    private void forget(String key) {
        try {
            s3.deleteObject(delete -> delete.bucket(bucket).key(key));
        } catch (RuntimeException e) {
            // A slot not given back only goes unused; a sender not forgotten only counts a little longer.
        }
    }

    /**
     * The messages of the senders looking for slots before {@code me}. One that may go a whole window before this one
     * does not count: it looks among other slots, or it stopped (a sender looks for milliseconds) and was not
     * forgotten.
     */
    private int messagesBefore(String me, long earliest) {
        ListObjectsV2Response listing = s3.listObjectsV2(list -> list.bucket(bucket).prefix(StorageKeys.SLOT_SENDERS)
                .startAfter(StorageKeys.slotSendersFrom(earliest - WINDOW.toMillis())));
        return listing.contents().stream().map(S3Object::key).filter(key -> key.compareTo(me) < 0)
                .mapToInt(TelegramSendSlots::messagesOf).sum();
    }

    private static int messagesOf(String senderKey) {
        return Integer.parseInt(senderKey.substring(StorageKeys.SLOT_SENDERS.length()).split("-", 3)[1]);
    }

    /** The slots from {@code earliest} to the end of the window that no one has taken, soonest first. */
    private List<Free> free(long earliest) {
        long first = Math.floorDiv(earliest, 1000);
        long until = earliest + WINDOW.toMillis();
        ListObjectsV2Response listing = s3.listObjectsV2(list -> list.bucket(bucket).prefix(StorageKeys.SEND_SLOTS)
                .startAfter(StorageKeys.sendSlotsOf(first)).maxKeys(perSecond * (int) (WINDOW.toSeconds() + 2)));
        Set<String> taken = new HashSet<>();
        listing.contents().stream().map(S3Object::key).forEach(taken::add);
        // A listing cut short (slots of a higher rate set before) says nothing about the keys after its last.
        String known = listing.isTruncated() ? listing.contents().get(listing.contents().size() - 1).key() : null;
        List<Free> free = new ArrayList<>();
        for (long second = first; second * 1000 < until; second++) {
            for (int slot = 0; slot < perSecond; slot++) {
                long at = second * 1000 + slot * 1000L / perSecond;
                String key = StorageKeys.sendSlot(second, slot);
                if (at >= until || known != null && key.compareTo(known) > 0) {
                    return free;
                }
                if (at >= earliest && !taken.contains(key)) {
                    free.add(new Free(key, at));
                }
            }
        }
        return free;
    }
}
