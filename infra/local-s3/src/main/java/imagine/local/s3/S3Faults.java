package imagine.local.s3;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults on cue for the local S3: the next few GETs or PUTs of keys under a prefix answer 500 InternalError
 * (before or after the object is written), or answer late. The SDK retries a 500 itself (four attempts in
 * all by default), so it takes four in a row for a caller to see one.
 */
public final class S3Faults {
    public enum Operation { GET, PUT }

    public enum Kind {
        /** 500 and nothing written. */
        ERROR,
        /** The put is stored, then answered 500, as when S3's answer is lost. */
        ERROR_AFTER_WRITE,
        /** Answered normally, after a delay. */
        SLOW
    }

    record Rule(Operation operation, String keyPrefix, Kind kind, Duration delay, AtomicInteger left) {
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();

    /** The next {@code times} operations on keys starting with {@code keyPrefix} answer 500. */
    public void failNext(Operation operation, String keyPrefix, int times) {
        rules.add(new Rule(operation, keyPrefix, Kind.ERROR, Duration.ZERO, new AtomicInteger(times)));
    }

    /** The next {@code times} puts under {@code keyPrefix} are stored and then answered 500. */
    public void failNextAfterWrite(String keyPrefix, int times) {
        rules.add(new Rule(Operation.PUT, keyPrefix, Kind.ERROR_AFTER_WRITE, Duration.ZERO, new AtomicInteger(times)));
    }

    /** The next {@code times} operations on keys under {@code keyPrefix} answer after {@code delay}. */
    public void slowNext(Operation operation, String keyPrefix, int times, Duration delay) {
        rules.add(new Rule(operation, keyPrefix, Kind.SLOW, delay, new AtomicInteger(times)));
    }

    /** Drops every fault still cued: S3 answers as usual again. */
    public void clear() {
        rules.clear();
    }

    /** Whether every cued fault has happened. */
    public boolean allHappened() {
        return rules.stream().allMatch(rule -> rule.left().get() <= 0);
    }

    /** Takes one use of the first rule that matches, if any. */
    Optional<Rule> next(Operation operation, String key) {
        for (Rule rule : rules) {
            if (rule.operation() == operation && key.startsWith(rule.keyPrefix())
                    && rule.left().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }
}
