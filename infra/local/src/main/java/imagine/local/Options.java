package imagine.local;

import imagine.local.aws.LocalAws;
import java.nio.file.Path;
import java.util.Map;

/**
 * How to start the local platform.
 *
 * @param template the SAM template
 * @param parameters template parameter values (over the Defaults)
 * @param environment variables added to every function's environment (over the template's)
 * @param apiPort the API's port (0: any free port)
 * @param sqsPort the SQS stand-in's port (0: any free port)
 * @param s3Port the S3 stand-in's port (0: any free port)
 * @param stateDirectory where S3 objects persist across restarts; null keeps them in memory
 * @param bucketNames local bucket names by logical id; others get the logical id in lower case
 * @param defaultConcurrency the concurrency limit of functions without an SQS ScalingConfig
 * @param pollQueues whether the functions' SQS events are polled
 * @param aws the local region, account and credentials
 */
public record Options(Path template, Map<String, String> parameters, Map<String, String> environment, int apiPort,
        int sqsPort, int s3Port, Path stateDirectory, Map<String, String> bucketNames, int defaultConcurrency,
        boolean pollQueues, LocalAws aws) {

    public static final int DEFAULT_API_PORT = 3000;

    public Options {
        parameters = Map.copyOf(parameters);
        environment = Map.copyOf(environment);
        bucketNames = Map.copyOf(bucketNames);
    }

    public static Options defaults(Path template) {
        return new Options(template, Map.of(), Map.of(), DEFAULT_API_PORT, 0, 0, null, Map.of(), 10, true,
                LocalAws.defaults());
    }

    public Options withParameters(Map<String, String> values) {
        return new Options(template, values, environment, apiPort, sqsPort, s3Port, stateDirectory, bucketNames,
                defaultConcurrency, pollQueues, aws);
    }

    public Options withEnvironment(Map<String, String> values) {
        return new Options(template, parameters, values, apiPort, sqsPort, s3Port, stateDirectory, bucketNames,
                defaultConcurrency, pollQueues, aws);
    }

    public Options withApiPort(int port) {
        return new Options(template, parameters, environment, port, sqsPort, s3Port, stateDirectory, bucketNames,
                defaultConcurrency, pollQueues, aws);
    }

    public Options withServicePorts(int sqs, int s3) {
        return new Options(template, parameters, environment, apiPort, sqs, s3, stateDirectory, bucketNames,
                defaultConcurrency, pollQueues, aws);
    }

    public Options withBucketNames(Map<String, String> names) {
        return new Options(template, parameters, environment, apiPort, sqsPort, s3Port, stateDirectory, names,
                defaultConcurrency, pollQueues, aws);
    }

    public Options withDefaultConcurrency(int concurrency) {
        return new Options(template, parameters, environment, apiPort, sqsPort, s3Port, stateDirectory, bucketNames,
                concurrency, pollQueues, aws);
    }

    public Options withStateDirectory(Path directory) {
        return new Options(template, parameters, environment, apiPort, sqsPort, s3Port, directory, bucketNames,
                defaultConcurrency, pollQueues, aws);
    }

    public Options withPollQueues(boolean poll) {
        return new Options(template, parameters, environment, apiPort, sqsPort, s3Port, stateDirectory, bucketNames,
                defaultConcurrency, poll, aws);
    }
}
