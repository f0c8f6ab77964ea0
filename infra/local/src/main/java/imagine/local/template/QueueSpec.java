package imagine.local.template;

/** An AWS::SQS::Queue; null numbers mean the SQS default. */
public record QueueSpec(
        String logicalId,
        String queueName,
        Integer visibilityTimeout,
        Integer messageRetentionPeriod,
        Redrive redrive) {

    /** RedrivePolicy: after {@code maxReceiveCount} receives a message moves to the queue {@code deadLetterQueueId}. */
    public record Redrive(String deadLetterQueueId, int maxReceiveCount) {
    }
}
