package imagine.local.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pending updates and their delivery: to the webhook when one is set (each chat strictly in
 * order, chats concurrently, failures retried with exponential backoff), else to getUpdates.
 */
final class Updates implements AutoCloseable, Journaled {
    private static final Logger LOG = LoggerFactory.getLogger(Updates.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    /** How long Telegram keeps an update the bot has not received. */
    private static final Duration KEPT_FOR = Duration.ofHours(24);

    record Webhook(String url, String secretToken, Set<String> allowedUpdates) {
    }

    /** @param date when the update was queued, in epoch seconds */
    private record Pending(int updateId, long chatId, String kind, long date, ObjectNode json) {
        JournalEntry.UpdateEntry entry() {
            return new JournalEntry.UpdateEntry(updateId, chatId, kind, date, json);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final List<Pending> pending = new ArrayList<>();
    private final Set<Long> deliveringChats = new HashSet<>();
    private final Duration initialBackoff;
    private final WebhookSender sender = new WebhookSender();
    private final ExecutorService deliveries = Executors.newCachedThreadPool(daemon("webhook-delivery"));
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(daemon("webhook-retry"));
    private final Consumer<ObjectNode> webhookReplies;
    private final Journal journal;
    private Webhook webhook;
    private Set<String> pollingAllowedUpdates = Set.of();
    private int lastUpdateId = 100_000_000;
    private long lastErrorDate;
    private String lastErrorMessage;
    private boolean closed;

    /** @param webhookReplies executes a method call a webhook answered with */
    Updates(Duration initialBackoff, Consumer<ObjectNode> webhookReplies, Journal journal) {
        this.initialBackoff = initialBackoff;
        this.webhookReplies = webhookReplies;
        this.journal = journal;
    }

    /** Queues an update of {@code kind} (message, callback_query) about a chat. */
    ObjectNode enqueue(long chatId, String kind, JsonNode payload) {
        lock.lock();
        try {
            ObjectNode update = Json.object();
            update.put("update_id", ++lastUpdateId);
            update.set(kind, payload);
            Pending queued = new Pending(lastUpdateId, chatId, kind, Instant.now().getEpochSecond(), update);
            pending.add(queued);
            journal.append(queued.entry());
            arrived.signalAll();
            startDeliveries();
            return update;
        } finally {
            lock.unlock();
        }
    }

    void setWebhook(Webhook newWebhook, boolean dropPending) {
        lock.lock();
        try {
            webhook = newWebhook;
            journal.append(new JournalEntry.WebhookEntry(webhook));
            lastErrorDate = 0;
            lastErrorMessage = null;
            if (dropPending) {
                remove(p -> true);
            }
            startDeliveries();
        } finally {
            lock.unlock();
        }
    }

    void deleteWebhook(boolean dropPending) {
        lock.lock();
        try {
            webhook = null;
            journal.append(new JournalEntry.WebhookEntry(null));
            if (dropPending) {
                remove(p -> true);
            }
        } finally {
            lock.unlock();
        }
    }

    ObjectNode webhookInfo() {
        lock.lock();
        try {
            ObjectNode info = Json.object();
            info.put("url", webhook == null ? "" : webhook.url());
            info.put("has_custom_certificate", false);
            info.put("pending_update_count", pending.size());
            if (lastErrorMessage != null) {
                info.put("last_error_date", lastErrorDate);
                info.put("last_error_message", lastErrorMessage);
            }
            if (webhook != null) {
                info.put("max_connections", 40);
                if (!webhook.allowedUpdates().isEmpty()) {
                    ArrayNode allowed = info.putArray("allowed_updates");
                    webhook.allowedUpdates().forEach(allowed::add);
                }
            }
            return info;
        } finally {
            lock.unlock();
        }
    }

    /** Long polling: confirms updates before {@code offset}, then waits up to the timeout for any. */
    ArrayNode getUpdates(Long offset, int limit, Duration timeout, Set<String> allowedUpdates) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            if (webhook != null) {
                throw new ApiException(409,
                        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
                        null);
            }
            if (allowedUpdates != null) {
                pollingAllowedUpdates = allowedUpdates;
            }
            long from = offset == null ? Long.MIN_VALUE : offset < 0 ? lastUpdateId + offset + 1 : offset;
            remove(p -> p.updateId() < from || !allowed(pollingAllowedUpdates, p.kind()));
            while (pending.isEmpty() && !closed && webhook == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                arrived.await(left, TimeUnit.NANOSECONDS);
                remove(p -> !allowed(pollingAllowedUpdates, p.kind()));
            }
            ArrayNode result = Json.array();
            pending.stream().limit(Math.max(1, Math.min(100, limit))).forEach(p -> result.add(p.json()));
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Json.array();
        } finally {
            lock.unlock();
        }
    }

    /** Removes pending updates that were delivered, confirmed or dropped; called under the lock. */
    private void remove(Predicate<Pending> done) {
        List<Integer> removed = new ArrayList<>();
        pending.removeIf(p -> done.test(p) && removed.add(p.updateId()));
        if (!removed.isEmpty()) {
            journal.append(new JournalEntry.UpdatesDoneEntry(removed));
        }
    }

    /** Starts delivering what the journal had pending, once the state is restored. */
    void deliverPending() {
        lock.lock();
        try {
            startDeliveries();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean replay(JournalEntry entry) {
        lock.lock();
        try {
            if (entry instanceof JournalEntry.UpdateEntry saved) {
                lastUpdateId = Math.max(lastUpdateId, saved.updateId());
                if (Instant.ofEpochSecond(saved.date()).plus(KEPT_FOR).isAfter(Instant.now())) {
                    pending.add(new Pending(saved.updateId(), saved.chatId(), saved.kind(), saved.date(), saved.update()));
                }
            } else if (entry instanceof JournalEntry.UpdatesDoneEntry saved) {
                Set<Integer> done = new HashSet<>(saved.updateIds());
                pending.removeIf(p -> done.contains(p.updateId()));
            } else if (entry instanceof JournalEntry.LastUpdateIdEntry saved) {
                lastUpdateId = Math.max(lastUpdateId, saved.lastUpdateId());
            } else if (entry instanceof JournalEntry.WebhookEntry saved) {
                webhook = saved.webhook();
            } else {
                return false;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<JournalEntry> snapshot() {
        lock.lock();
        try {
            List<JournalEntry> entries = new ArrayList<>();
            entries.add(new JournalEntry.LastUpdateIdEntry(lastUpdateId));
            entries.add(new JournalEntry.WebhookEntry(webhook));
            pending.forEach(p -> entries.add(p.entry()));
            return entries;
        } finally {
            lock.unlock();
        }
    }

    private static boolean allowed(Set<String> allowedUpdates, String kind) {
        return allowedUpdates.isEmpty() || allowedUpdates.contains(kind);
    }

    /** Starts delivering the oldest pending update of every chat not already being delivered. */
    private void startDeliveries() {
        if (webhook == null || closed) {
            return;
        }
        Set<Long> seen = new HashSet<>();
        for (Pending update : pending) {
            if (seen.add(update.chatId()) && deliveringChats.add(update.chatId())) {
                deliveries.execute(() -> deliver(update, initialBackoff));
            }
        }
    }

    private void deliver(Pending update, Duration backoff) {
        Webhook target;
        lock.lock();
        try {
            target = webhook;
            if (target == null || closed || !pending.contains(update)) {
                release(update);
                return;
            }
            if (!allowed(target.allowedUpdates(), update.kind())) {
                remove(update::equals);
                release(update);
                return;
            }
        } finally {
            lock.unlock();
        }
        WebhookSender.Outcome outcome = sender.post(target, update.json());
        if (outcome.ok()) {
            if (outcome.reply() != null) {
                webhookReplies.accept(outcome.reply());
            }
            lock.lock();
            try {
                remove(update::equals);
                release(update);
            } finally {
                lock.unlock();
            }
            return;
        }
        LOG.info("Webhook delivery of update {} failed ({}); retrying in {} ms", update.updateId(), outcome.error(),
                backoff.toMillis());
        lock.lock();
        try {
            lastErrorDate = Instant.now().getEpochSecond();
            lastErrorMessage = outcome.error();
            if (!closed) {
                Duration next = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                retries.schedule(() -> deliveries.execute(() -> deliver(update, next)), backoff.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    private void release(Pending update) {
        deliveringChats.remove(update.chatId());
        startDeliveries();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        retries.shutdownNow();
        deliveries.shutdownNow();
    }

    static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
