package imagine.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {
    private static final long BURN_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    @Test
    void cpuTimeGoesToTheFunctionWhoseEnvironmentStartedTheThreadAndToTheBaseline() throws Exception {
        ClassLoader environment = new ClassLoader("WorkerFunction-env-7", getClass().getClassLoader()) {
        };
        CountDownLatch burnt = new CountDownLatch(2);
        CountDownLatch counted = new CountDownLatch(1);
        Runnable work = () -> {
            burn();
            burnt.countDown();
            // Alive until counted: a thread that ends between two samples loses its last period.
            await(counted);
        };
        try (ThreadCpu cpu = new ThreadCpu()) {
            ThreadCpu.Totals before = cpu.totals();
            // A thread the function starts inherits its environment's class loader.
            Thread function = new Thread(() -> {
                Thread started = new Thread(work);
                started.start();
                join(started);
            });
            function.setContextClassLoader(environment);
            Thread baseline = new Thread(work);
            baseline.setContextClassLoader(ThreadCpu.BASELINE);
            function.start();
            baseline.start();
            burnt.await();
            ThreadCpu.Totals span = cpu.totals().minus(before);
            counted.countDown();
            function.join();
            baseline.join();

            assertTrue(span.cpu("WorkerFunction") >= BURN_NANOS, span.toString());
            assertTrue(span.cpu("baseline") >= BURN_NANOS, span.toString());
            assertTrue(span.allocated("WorkerFunction") > 0, span.toString());
        }
    }

    @Test
    void aFunctionIsNamedByItsEnvironmentsClassLoader() {
        assertEquals("CallbackFunction", ThreadCpu.function(new ClassLoader("CallbackFunction-env-12", null) {
        }));
        assertEquals(null, ThreadCpu.function(ThreadCpu.BASELINE));
        assertEquals(null, ThreadCpu.function(null));
    }

    /** Uses {@link #BURN_NANOS} of CPU time, allocating as it goes. */
    private static void burn() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        while (threads.getCurrentThreadCpuTime() < BURN_NANOS) {
            sum += new StringBuilder().append(sum).length();
        }
        if (sum == 42) {
            System.out.println(sum);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
