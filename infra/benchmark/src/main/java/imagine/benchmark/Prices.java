package imagine.benchmark;

/**
 * AWS list prices in us-east-1 used for the cost rows, in US dollars. Taken from the AWS pricing pages for
 * Lambda, SQS, S3 and API Gateway as known in mid-2025; not fetched by this program: check them before relying on
 * the cost rows.
 */
record Prices(double lambdaArmPerGbSecond, double lambdaPerRequest, double sqsPerRequest, double s3PerPut,
              double s3PerGet, double httpApiPerRequest) {

    static final String SOURCE = "AWS list prices, us-east-1, as of 2025-06 (Lambda arm64, SQS standard, "
            + "S3 Standard, API Gateway HTTP API first tiers)";

    static Prices usEast1() {
        return new Prices(
                0.0000133334,
                0.20 / 1_000_000,
                0.40 / 1_000_000,
                0.005 / 1_000,
                0.0004 / 1_000,
                1.00 / 1_000_000);
    }
}
