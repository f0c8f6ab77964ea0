package imagine.benchmark;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/** U users, each sending one message of P prompts of one image each, all at once. */
record Workload(int users, int promptsPerUser, long firstUserId) {

    int images() {
        return users * promptsPerUser;
    }

    List<Long> userIds() {
        return LongStream.range(firstUserId, firstUserId + users).boxed().toList();
    }

    String message(long userId) {
        return IntStream.range(0, promptsPerUser)
                .mapToObj(p -> (p == 0 ? "/imagine " : "") + "benchmark picture " + p + " for user " + userId)
                .collect(Collectors.joining("\n"));
    }

    String describe() {
        return users + " users × " + promptsPerUser + " prompts × 1 image = " + images() + " images";
    }
}
