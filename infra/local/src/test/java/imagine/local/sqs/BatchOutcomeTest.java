package imagine.local.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.local.lambda.FunctionError;
import imagine.local.lambda.InvocationResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

class BatchOutcomeTest {
    private final List<Message> batch = List.of(message("a"), message("b"), message("c"));

    private static Message message(String id) {
        return Message.builder().messageId(id).receiptHandle("rh-" + id).body(id).build();
    }

    private static InvocationResult ok(String payload) {
        return new InvocationResult("r", payload, null, false, Duration.ZERO);
    }

    private List<String> deleted(InvocationResult result, boolean partial) {
        return BatchOutcome.succeeded(batch, result, partial).stream().map(Message::messageId).toList();
    }

    @Test
    void reportedFailuresStayAndTheRestIsDeleted() {
        assertThat(deleted(ok("{\"batchItemFailures\":[{\"itemIdentifier\":\"b\"}]}"), true)).containsExactly("a", "c");
        assertThat(deleted(ok("{\"batchItemFailures\":[]}"), true)).containsExactly("a", "b", "c");
        assertThat(deleted(ok("null"), true)).containsExactly("a", "b", "c");
        assertThat(deleted(ok("{}"), true)).containsExactly("a", "b", "c");
    }

    @Test
    void malformedResponsesAndErrorsFailTheWholeBatch() {
        assertThat(deleted(ok("{\"batchItemFailures\":[{\"itemIdentifier\":\"zzz\"}]}"), true)).isEmpty();
        assertThat(deleted(ok("{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}"), true)).isEmpty();
        assertThat(deleted(ok("{\"batchItemFailures\":\"b\"}"), true)).isEmpty();
        assertThat(deleted(ok("[1]"), true)).isEmpty();
        assertThat(deleted(ok("not json"), true)).isEmpty();
        InvocationResult error = new InvocationResult("r", null, new FunctionError("E", "m"), false, Duration.ZERO);
        assertThat(deleted(error, true)).isEmpty();
        assertThat(deleted(error, false)).isEmpty();
    }

    @Test
    void withoutReportBatchItemFailuresEverySuccessDeletesAll() {
        assertThat(deleted(ok("{\"batchItemFailures\":[{\"itemIdentifier\":\"b\"}]}"), false))
                .containsExactly("a", "b", "c");
    }
}
