package imagine.local;

import static imagine.local.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import imagine.local.aws.LocalAws;
import imagine.local.aws.LocalSqs;
import imagine.local.template.QueueAddress;
import imagine.local.template.QueueSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
            Message dead = await("the message in the dead-letter queue").atMost(Duration.ofSeconds(10)).until(() -> {
                client.receiveMessage(b -> b.queueUrl(jobs.url()).waitTimeSeconds(1));
                return client.receiveMessage(b -> b.queueUrl(queues.get("Dead").url()).waitTimeSeconds(0))
                        .messages().stream().findFirst();
            }, Optional::isPresent).orElseThrow();
            assertThat(dead.body()).isEqualTo("poison");
        }
    }

    @Test
    void closesAtOnceThoughAReceiveIsStillWaitingForMessages() throws Exception {
        LocalSqs sqs = LocalSqs.start(0, aws);
        SqsClient client = aws.sqs(sqs.endpoint());
        String url = sqs.createQueues(List.of(new QueueSpec("Jobs", "Jobs", 30, null, null))).get("Jobs").url();
        CompletableFuture<?> waiting = CompletableFuture.runAsync(() -> {
            try {
                client.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(20));
            } catch (RuntimeException closed) {
                // the server went away under the long poll, as it may
            }
        });
        await("the long poll waiting on the server").atMost(Duration.ofSeconds(10))
                .pollDelay(Duration.ofMillis(500)).until(() -> !waiting.isDone());

        long start = System.nanoTime();
        sqs.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        client.close();
    }

    private static Message receiveOne(SqsClient client, String url) {
        return await("a message").atMost(Duration.ofSeconds(10)).until(() -> client.receiveMessage(b -> b.queueUrl(url)
                        .waitTimeSeconds(1).messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                .messages().stream().findFirst(), Optional::isPresent).orElseThrow();
    }
}
