package imagine.local.replicate;

import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Faults waiting for the next create: those for a model first, then those for any model. */
final class FaultQueue {
    private final Queue<Fault> anyModel = new ConcurrentLinkedQueue<>();
    private final Map<String, Queue<Fault>> byModel = new ConcurrentHashMap<>();

    void add(Fault fault) {
        anyModel.add(fault);
    }

    void add(String model, Fault fault) {
        byModel.computeIfAbsent(model, m -> new ConcurrentLinkedQueue<>()).add(fault);
    }

    Optional<Fault> next(String model) {
        Queue<Fault> forModel = byModel.get(model);
        Fault fault = forModel == null ? null : forModel.poll();
        return Optional.ofNullable(fault == null ? anyModel.poll() : fault);
    }
}
