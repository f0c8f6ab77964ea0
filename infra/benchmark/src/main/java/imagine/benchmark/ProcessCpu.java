package imagine.benchmark;

import java.lang.management.ManagementFactory;

/** CPU time used by this JVM, which hosts the stand-ins and the functions alike. */
final class ProcessCpu {
    private ProcessCpu() {
    }

    static long nanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** How busy the machine's cores were over a span, as a share of all of them. */
    static double share(long cpuNanos, long wallNanos) {
        return cpuNanos / (double) wallNanos / Runtime.getRuntime().availableProcessors();
    }
}
