package imagine.webhook;

import imagine.core.Job;
import java.util.List;

/** What the webhook does with one update: jobs to enqueue and a reply to carry back, either may be absent. */
record Answer(List<Job> jobs, BotReply reply) {
    static final Answer NOTHING = new Answer(List.of(), null);

    static Answer reply(BotReply reply) {
        return new Answer(List.of(), reply);
    }
}
