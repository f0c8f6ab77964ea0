package imagine.local.s3;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many requests the local S3 has served, by S3 operation and by the first part of the key (its "area": jobs,
 * users, pace…), so a test or the benchmark can tell what one image costs in S3 calls and where.
 */
public final class S3Requests {
    private final Map<Kind, LongAdder> served = new ConcurrentHashMap<>();

    /** @param area the key's first path segment; a listing's is its prefix's */
    public record Kind(String operation, String area) implements Comparable<Kind> {
        @Override
        public int compareTo(Kind other) {
            return toString().compareTo(other.toString());
        }

        @Override
        public String toString() {
            return operation + " " + area;
        }
    }

    /** The counts at one moment. */
    public record Counts(Map<Kind, Long> byKind) {
        public Counts {
            byKind = Map.copyOf(byKind);
        }

        public long total() {
            return byKind.values().stream().mapToLong(Long::longValue).sum();
        }

        public long of(String operation, String area) {
            return byKind.getOrDefault(new Kind(operation, area), 0L);
        }

        public long of(String operation) {
            return byKind.entrySet().stream().filter(e -> e.getKey().operation().equals(operation))
                    .mapToLong(Map.Entry::getValue).sum();
        }

        /** What was served after {@code earlier}. */
        public Counts minus(Counts earlier) {
            Map<Kind, Long> left = new TreeMap<>();
            byKind.forEach((kind, count) -> {
                long more = count - earlier.byKind.getOrDefault(kind, 0L);
                if (more > 0) {
                    left.put(kind, more);
                }
            });
            return new Counts(left);
        }

        @Override
        public String toString() {
            return new TreeMap<>(byKind).toString();
        }
    }

    public Counts counts() {
        Map<Kind, Long> now = new TreeMap<>();
        served.forEach((kind, count) -> now.put(kind, count.sum()));
        return new Counts(now);
    }

    /** @param path the request's path, {@code /bucket/key…}; {@code listPrefix} non-null for a listing */
    void count(String method, String path, String listPrefix) {
        String[] parts = path.split("/", 4);
        String key = parts.length > 2 ? path.substring(parts[1].length() + 2) : "";
        String operation = switch (method) {
            case "GET" -> key.isEmpty() ? "ListObjectsV2" : "GetObject";
            case "PUT" -> key.isEmpty() ? "CreateBucket" : "PutObject";
            case "DELETE" -> key.isEmpty() ? "DeleteBucket" : "DeleteObject";
            case "HEAD" -> key.isEmpty() ? "HeadBucket" : "HeadObject";
            case "POST" -> "PostObject";
            default -> method;
        };
        String named = key.isEmpty() && listPrefix != null ? listPrefix : key;
        int slash = named.indexOf('/');
        served.computeIfAbsent(new Kind(operation, slash < 0 ? named : named.substring(0, slash)), k -> new LongAdder())
                .increment();
    }
}
