package imagine.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CPU time of this JVM by owner, sampled every {@value #PERIOD_MILLIS} ms (the JVM's own threads every
 * {@value #INTERNAL_EVERY} periods) and when totals are asked for. A Java thread belongs to whoever made it:
 * a function's execution environment gives its thread its own class loader (named {@code <function>-env-<n>}) as
 * context class loader, and every thread the function starts inherits it; the baseline's threads carry
 * {@link #BASELINE}; the rest are the stand-ins and the benchmark. The JVM's own threads are read from
 * {@code /proc/self/task}: garbage collection (and the VM thread, which runs its pauses) and the JIT compilers.
 * A thread seen once keeps its last reading, so one that ends between two samples loses at most a period.
 */
final class ThreadCpu implements AutoCloseable {
    static final String STAND_INS = "stand-ins and benchmark";
    static final String GC = "GC";
    static final String JIT = "JIT";
    /** The context class loader that marks the baseline's threads. */
    static final ClassLoader BASELINE = new ClassLoader("baseline", ThreadCpu.class.getClassLoader()) {
    };
    private static final long PERIOD_MILLIS = 100;
    /** Reading every thread's /proc entry costs more; the JVM's own threads seldom end. */
    private static final int INTERNAL_EVERY = 20;
    private static final long TICK_NANOS = 10_000_000;

    /** One thread's latest reading; {@code allocated} is 0 for the JVM's own threads. */
    private record Reading(String owner, long cpuNanos, long allocated) {
    }

    /** CPU and bytes allocated per owner, summed over every thread seen so far. */
    record Totals(Map<String, Long> cpuNanos, Map<String, Long> allocated) {
        Totals minus(Totals earlier) {
            return new Totals(subtract(cpuNanos, earlier.cpuNanos), subtract(allocated, earlier.allocated));
        }

        long cpu(String owner) {
            return cpuNanos.getOrDefault(owner, 0L);
        }

        long allocated(String owner) {
            return allocated.getOrDefault(owner, 0L);
        }

        long allocatedTotal() {
            return allocated.values().stream().mapToLong(Long::longValue).sum();
        }

        /** CPU of every Java thread: everything but GC and JIT. */
        long javaCpu() {
            return cpuNanos.entrySet().stream().filter(e -> !e.getKey().equals(GC) && !e.getKey().equals(JIT))
                    .mapToLong(Map.Entry::getValue).sum();
        }

        private static Map<String, Long> subtract(Map<String, Long> later, Map<String, Long> earlier) {
            Map<String, Long> difference = new TreeMap<>();
            later.forEach((owner, value) -> difference.put(owner, value - earlier.getOrDefault(owner, 0L)));
            return difference;
        }
    }

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final Map<Long, Reading> java = new ConcurrentHashMap<>();
    private final Map<Integer, Reading> internal = new ConcurrentHashMap<>();
    private final Thread sampler;
    private volatile boolean stopped;

    ThreadCpu() {
        threads.setThreadCpuTimeEnabled(true);
        threads.setThreadAllocatedMemoryEnabled(true);
        sample();
        sampleInternal();
        sampler = new Thread(this::run, "thread-cpu-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** The function a thread works for, from its context class loader's name, or null for none. */
    static String function(ClassLoader loader) {
        String name = loader == null ? null : loader.getName();
        int env = name == null ? -1 : name.indexOf("-env-");
        return env > 0 ? name.substring(0, env) : null;
    }

    /** Samples once more and sums. */
    synchronized Totals totals() {
        sample();
        sampleInternal();
        Map<String, Long> cpu = new TreeMap<>();
        Map<String, Long> allocated = new TreeMap<>();
        for (Reading reading : java.values()) {
            cpu.merge(reading.owner(), reading.cpuNanos(), Long::sum);
            allocated.merge(reading.owner(), reading.allocated(), Long::sum);
        }
        for (Reading reading : internal.values()) {
            cpu.merge(reading.owner(), reading.cpuNanos(), Long::sum);
        }
        return new Totals(cpu, allocated);
    }

    /** The owner of a Java thread, by id, when it has been seen. */
    String ownerOf(long threadId) {
        Reading reading = java.get(threadId);
        return reading == null ? null : reading.owner();
    }

    @Override
    public void close() {
        stopped = true;
        sampler.interrupt();
    }

    private void run() {
        for (long period = 1; !stopped; period++) {
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            sample();
            if (period % INTERNAL_EVERY == 0) {
                sampleInternal();
            }
        }
    }

    private synchronized void sample() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() + 64];
        int count = root.enumerate(all, true);
        long[] ids = new long[count];
        for (int i = 0; i < count; i++) {
            ids[i] = all[i].getId();
        }
        long[] cpu = threads.getThreadCpuTime(ids);
        long[] allocated = threads.getThreadAllocatedBytes(ids);
        for (int i = 0; i < count; i++) {
            if (cpu[i] < 0) {
                continue;
            }
            Reading before = java.get(ids[i]);
            String owner = before != null ? before.owner() : owner(all[i]);
            java.put(ids[i], new Reading(owner, cpu[i], Math.max(0, allocated[i])));
        }
    }

    private static String owner(Thread thread) {
        ClassLoader loader = thread.getContextClassLoader();
        if (loader == BASELINE) {
            return "baseline";
        }
        String function = function(loader);
        return function != null ? function : STAND_INS;
    }

    /** The JVM's own threads, which no Java API lists: their names and CPU ticks from /proc. */
    private synchronized void sampleInternal() {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String name = stat.substring(open + 1, close);
                String owner = internalOwner(name);
                if (owner == null) {
                    continue;
                }
                String[] fields = stat.substring(close + 2).split(" ");
                // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the name.
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                internal.put(Integer.parseInt(task.getFileName().toString()),
                        new Reading(owner, ticks * TICK_NANOS, 0));
            }
        } catch (IOException | RuntimeException unreadable) {
            // Not Linux, or /proc unreadable: GC and JIT are then not reported.
        }
    }

    private static String internalOwner(String name) {
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")) {
            return GC;
        }
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return JIT;
        }
        return null;
    }
}
