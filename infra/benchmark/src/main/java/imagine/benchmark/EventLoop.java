package imagine.benchmark;

import java.util.Comparator;
import java.util.PriorityQueue;

/** The simulation's clock: actions run in time order (seconds from the start), equal times in the order scheduled. */
final class EventLoop {
    private record Event(double at, long order, Runnable action) {
    }

    private final PriorityQueue<Event> events = new PriorityQueue<>(
            Comparator.comparingDouble(Event::at).thenComparingLong(Event::order));
    private double now;
    private long scheduled;

    double now() {
        return now;
    }

    void at(double time, Runnable action) {
        if (time < now) {
            throw new IllegalArgumentException("an event at " + time + " s is before now, " + now + " s");
        }
        events.add(new Event(time, scheduled++, action));
    }

    void after(double delay, Runnable action) {
        at(now + delay, action);
    }

    /** Runs every event, including those the events schedule, until none is left. */
    void run() {
        while (!events.isEmpty()) {
            Event next = events.poll();
            now = next.at();
            next.action().run();
        }
    }
}
