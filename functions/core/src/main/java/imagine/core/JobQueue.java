package imagine.core;

import java.util.List;

/** Where accepted work goes: one message per job. The webhook and the planning worker both send through it. */
public interface JobQueue {

    /** Returns once every job is stored in the queue; throws when any could not be. */
    void enqueue(List<Job> jobs);
}
