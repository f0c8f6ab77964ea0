package imagine.webhook;

import imagine.core.Job;
import java.util.List;

/**
 * What the webhook does with one update: jobs to enqueue, a call to carry back in the response, and a
 * message of the bot's to edit; any may be absent. {@code refused} says why nothing was done, when the answer turns
 * the user down.
 */
record Answer(List<Job> jobs, ResponseCall reply, MessageEdit edit, Refusal refused) {
    static final Answer NOTHING = new Answer(List.of(), null);

    Answer(List<Job> jobs, ResponseCall reply, MessageEdit edit) {
        this(jobs, reply, edit, null);
    }

    Answer(List<Job> jobs, ResponseCall reply) {
        this(jobs, reply, null, null);
    }

    static Answer reply(ResponseCall reply) {
        return new Answer(List.of(), reply);
    }

    /** One job, and nothing said until it is done. */
    static Answer quietly(Job job) {
        return new Answer(List.of(job), null);
    }

    /** This answer, as one that turns the user down for {@code why}. */
    Answer refusedFor(Refusal why) {
        return new Answer(jobs, reply, edit, why);
    }
}
