package imagine.local.template;

/** An SQS event of a function; {@code maximumConcurrency} is null when the template sets no ScalingConfig. */
public record SqsSubscription(
        String eventName,
        String queueId,
        int batchSize,
        int maximumBatchingWindowInSeconds,
        boolean reportBatchItemFailures,
        Integer maximumConcurrency) {
}
