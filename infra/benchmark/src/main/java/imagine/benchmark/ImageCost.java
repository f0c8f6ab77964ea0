package imagine.benchmark;

/**
 * What AWS charges for one image, from measured Lambda durations and the requests the functions make.
 *
 * @param workerSeconds     worker time billed per image, summed over its invocations
 * @param workerInvocations worker (and, in callback mode, callback) invocations per image
 * @param webhookSeconds    the webhook's time per image (its update's time shared by the update's images)
 * @param webhookInvocations the webhook's invocations per image
 * @param sqsRequests       SQS requests per image (send, receive, delete)
 * @param s3Puts            S3 PUTs per image
 * @param s3Gets            S3 GETs per image
 */
record ImageCost(double memoryGb, double workerSeconds, double workerInvocations, double webhookSeconds,
                 double webhookInvocations, double sqsRequests, double s3Puts, double s3Gets) {

    double lambda(Prices prices) {
        double gbSeconds = memoryGb * (workerSeconds + webhookSeconds);
        return gbSeconds * prices.lambdaArmPerGbSecond()
                + (workerInvocations + webhookInvocations) * prices.lambdaPerRequest();
    }

    double total(Prices prices) {
        return lambda(prices)
                + sqsRequests * prices.sqsPerRequest()
                + s3Puts * prices.s3PerPut()
                + s3Gets * prices.s3PerGet()
                + webhookInvocations * prices.httpApiPerRequest();
    }
}
