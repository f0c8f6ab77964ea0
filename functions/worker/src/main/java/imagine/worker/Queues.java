package imagine.worker;

import imagine.core.QueueDepth;

/** How deep the jobs queue and its dead-letter queue are, for /stats. */
interface Queues {
    Queues UNKNOWN = () -> new Depths(QueueDepth.UNKNOWN, QueueDepth.UNKNOWN);

    record Depths(QueueDepth jobs, QueueDepth deadLetters) {
    }

    Depths depths();
}
