package imagine.worker;

import imagine.core.Job;
import imagine.core.JobQueue;
import java.time.Duration;

/** The jobs queue as the worker uses it: new jobs, jobs that wait, and messages that come back after a failure. */
interface WorkQueue extends JobQueue {

    /** Puts a job back on the queue as a new message, received no sooner than {@code after} from now. */
    void putBack(Job job, Duration after);

    /** Makes a received message visible again {@code after} from now. */
    void comeBack(String receiptHandle, Duration after);
}
