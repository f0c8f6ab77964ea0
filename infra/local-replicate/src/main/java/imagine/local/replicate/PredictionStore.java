package imagine.local.replicate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/** All predictions, thread-safe; a terminal prediction never changes again. */
final class PredictionStore {
    private final Map<String, Prediction> byId = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Prediction>> terminal = new ConcurrentHashMap<>();
    private final List<String> order = new ArrayList<>();

    void add(Prediction prediction) {
        terminal.put(prediction.id(), new CompletableFuture<>());
        byId.put(prediction.id(), prediction);
        synchronized (order) {
            order.add(prediction.id());
        }
    }

    Optional<Prediction> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * Applies the change unless the prediction is already terminal.
     *
     * @return the new snapshot, or empty when the prediction is unknown or was already terminal
     */
    Optional<Prediction> update(String id, UnaryOperator<Prediction> change) {
        Prediction[] changed = new Prediction[1];
        byId.computeIfPresent(id, (key, current) -> {
            if (current.status().terminal()) {
                return current;
            }
            changed[0] = change.apply(current);
            return changed[0];
        });
        Optional<Prediction> result = Optional.ofNullable(changed[0]);
        result.filter(p -> p.status().terminal()).ifPresent(p -> terminal.get(id).complete(p));
        return result;
    }

    /** Oldest first. */
    List<Prediction> all() {
        synchronized (order) {
            return order.stream().map(byId::get).toList();
        }
    }

    /** The prediction once terminal, or its current state when the wait runs out. */
    Prediction awaitTerminal(String id, Duration wait) throws InterruptedException {
        try {
            return terminal.get(id).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return byId.get(id);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
