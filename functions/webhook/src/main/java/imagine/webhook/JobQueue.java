package imagine.webhook;

import imagine.core.Job;
import java.util.List;

/** Where accepted work goes: one message per job. */
interface JobQueue {

    /** Returns once every job is stored in the queue; throws when any could not be. */
    void enqueue(List<Job> jobs);
}
