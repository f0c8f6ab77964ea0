package imagine.webhook;

import imagine.core.Job;
import java.util.List;

/**
 * What the webhook does with one update: jobs to enqueue, a call to carry back in the response, and a
 * message of the bot's to edit; any may be absent.
 */
record Answer(List<Job> jobs, ResponseCall reply, MessageEdit edit) {
    static final Answer NOTHING = new Answer(List.of(), null);

    Answer(List<Job> jobs, ResponseCall reply) {
        this(jobs, reply, null);
    }

    static Answer reply(ResponseCall reply) {
        return new Answer(List.of(), reply);
    }
}
