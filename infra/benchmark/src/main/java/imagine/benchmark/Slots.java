package imagine.benchmark;

import java.util.ArrayDeque;
import java.util.Deque;

/** A concurrency limit in the simulation: callers take a slot in turn, first come first served. */
final class Slots {
    private final EventLoop loop;
    private final double capacity;
    private final Deque<Runnable> waiting = new ArrayDeque<>();
    private long taken;

    /** @param capacity infinite for no limit */
    Slots(EventLoop loop, double capacity) {
        this.loop = loop;
        this.capacity = capacity;
    }

    /** Runs {@code holder} once a slot is its own; the holder gives it back with {@link #release}. */
    void acquire(Runnable holder) {
        if (taken < capacity && waiting.isEmpty()) {
            taken++;
            holder.run();
        } else {
            waiting.add(holder);
        }
    }

    void release() {
        Runnable next = waiting.poll();
        if (next == null) {
            taken--;
        } else {
            loop.at(loop.now(), next);
        }
    }
}
