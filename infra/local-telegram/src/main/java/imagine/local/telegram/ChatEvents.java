package imagine.local.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/** Live events of each chat for the chat page's Server-Sent Events streams. */
final class ChatEvents {
    /** One open stream; each queued item is a ready Server-Sent Event. */
    record Subscription(long chatId, BlockingQueue<String> queue) {
    }

    private final Map<Long, Set<Subscription>> subscriptions = new ConcurrentHashMap<>();

    Subscription subscribe(long chatId) {
        Subscription subscription = new Subscription(chatId, new LinkedBlockingQueue<>());
        subscriptions.computeIfAbsent(chatId, id -> ConcurrentHashMap.newKeySet()).add(subscription);
        return subscription;
    }

    void unsubscribe(Subscription subscription) {
        Set<Subscription> set = subscriptions.get(subscription.chatId());
        if (set != null) {
            set.remove(subscription);
        }
    }

    void publish(long chatId, String event, JsonNode data) {
        Set<Subscription> set = subscriptions.get(chatId);
        if (set == null) {
            return;
        }
        String frame = "event: " + event + "\ndata: " + data + "\n\n";
        for (Subscription subscription : set) {
            subscription.queue().offer(frame);
        }
    }
}
