package imagine.local.bot;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.local.aws.LocalAws;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The local platform's jobs queue, as the tests look at it through the SQS API. */
final class JobsQueue {
    private JobsQueue() {
    }

    /** Waits until the queue holds nothing, visible or in flight: no retry is left that could send more. */
    static void awaitDrained(LocalBot bot, Duration timeout) throws InterruptedException {
        try (SqsClient sqs = LocalAws.defaults().sqs(bot.platform().sqsEndpoint())) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b
                        .queueUrl(bot.platform().queueUrl("JobsQueue")).attributeNames(QueueAttributeName.ALL))
                        .attributes();
                if (attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES).equals("0")
                        && attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE).equals("0")) {
                    return;
                }
                assertThat(System.nanoTime()).as("the jobs queue drained in time").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }

    /** Takes every message visible on the jobs queue (of a platform that does not poll it) and returns the bodies. */
    static List<String> receiveAll(LocalBot bot) {
        try (SqsClient sqs = LocalAws.defaults().sqs(bot.platform().sqsEndpoint())) {
            List<String> bodies = new ArrayList<>();
            while (true) {
                List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(bot.platform().queueUrl("JobsQueue"))
                        .maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
                if (batch.isEmpty()) {
                    return bodies;
                }
                batch.forEach(message -> bodies.add(message.body()));
            }
        }
    }

    /** Makes messages whose worker died come back after {@code seconds} instead of the template's 720. */
    static void shortenVisibilityTimeout(LocalBot bot, int seconds) {
        try (SqsClient sqs = LocalAws.defaults().sqs(bot.platform().sqsEndpoint())) {
            sqs.setQueueAttributes(b -> b.queueUrl(bot.platform().queueUrl("JobsQueue"))
                    .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(seconds))));
        }
    }
}
