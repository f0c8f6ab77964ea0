package imagine.local;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.local.aws.LocalAws;
import imagine.local.aws.LocalSqs;
import imagine.local.template.QueueAddress;
import imagine.local.template.QueueSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class LocalSqsTest {
    private final LocalAws aws = LocalAws.defaults();

    @Test
    void createsDeadLetterQueuesFirstAndRedrivesAfterMaxReceiveCount() {
        try (LocalSqs sqs = LocalSqs.start(0, aws); SqsClient client = aws.sqs(sqs.endpoint())) {
            Map<String, QueueAddress> queues = sqs.createQueues(List.of(
                    new QueueSpec("Jobs", "Jobs", 1, 3600, new QueueSpec.Redrive("Dead", 2)),
                    new QueueSpec("Dead", "Dead", 30, null, null)));
            assertThat(queues.keySet()).containsExactly("Dead", "Jobs");
            QueueAddress jobs = queues.get("Jobs");
            assertThat(jobs.arn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:Jobs");
            assertThat(jobs.url()).contains(sqs.endpoint().getAuthority());
            Map<QueueAttributeName, String> attributes = client.getQueueAttributes(
                    b -> b.queueUrl(jobs.url()).attributeNames(QueueAttributeName.ALL)).attributes();
            assertThat(attributes).containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "1")
                    .containsKey(QueueAttributeName.REDRIVE_POLICY);

            client.sendMessage(b -> b.queueUrl(jobs.url()).messageBody("poison"));
            for (int receive = 1; receive <= 2; receive++) {
                Message m = receiveOne(client, jobs.url());
                assertThat(m.attributesAsStrings()).containsEntry("ApproximateReceiveCount", Integer.toString(receive));
            }
            AtomicReference<Message> dead = new AtomicReference<>();
            Await.until("the message in the dead-letter queue", Duration.ofSeconds(10), () -> {
                client.receiveMessage(b -> b.queueUrl(jobs.url()).waitTimeSeconds(1));
                client.receiveMessage(b -> b.queueUrl(queues.get("Dead").url()).waitTimeSeconds(0))
                        .messages().stream().findFirst().ifPresent(dead::set);
                return dead.get() != null;
            });
            assertThat(dead.get().body()).isEqualTo("poison");
        }
    }

    private static Message receiveOne(SqsClient client, String url) {
        AtomicReference<Message> got = new AtomicReference<>();
        Await.until("a message", Duration.ofSeconds(10), () -> {
            client.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)
                            .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                    .messages().stream().findFirst().ifPresent(got::set);
            return got.get() != null;
        });
        return got.get();
    }
}
