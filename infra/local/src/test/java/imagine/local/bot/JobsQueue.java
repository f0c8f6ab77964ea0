package imagine.local.bot;

import static imagine.local.Waits.await;

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
    static void awaitDrained(LocalBot bot, Duration timeout) {
        awaitEmpty(bot, timeout, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE);
    }

    /**
     * Waits until the queue holds no message at all, delayed ones included: every job waiting on the queue (for its
     * callback, or a check-up of one) has come back and ended.
     */
    static void awaitSettled(LocalBot bot, Duration timeout) {
        awaitEmpty(bot, timeout, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);
    }

    private static void awaitEmpty(LocalBot bot, Duration timeout, QueueAttributeName... counts) {
        try (SqsClient sqs = LocalAws.defaults().sqs(bot.platform().sqsEndpoint())) {
            await("the jobs queue empty of " + List.of(counts)).atMost(timeout).until(() -> {
                Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b
                        .queueUrl(bot.platform().queueUrl("JobsQueue")).attributeNames(counts)).attributes();
                return List.of(counts).stream().allMatch(count -> "0".equals(attributes.get(count)));
            });
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
