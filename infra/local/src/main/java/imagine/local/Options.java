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
 * @param attributes what {@code !GetAtt Resource.Attribute} of resources the platform does not run resolves to (a
 *        custom resource's answer; an HttpApi's ApiEndpoint, the API stand-in's URL unless given), by
 *        "Resource.Attribute"
 * @param listenAddress where the stand-ins the functions reach listen: 127.0.0.1, or an address containers reach
 *        (0.0.0.0 for all); beyond loopback the S3 stand-in takes requests signed with any credentials
 * @param apiPort the API stand-in's port (0: any free port; {@link #NO_API}: none, {@code sam local start-api}
 *        serves the routes on its port 3000)
 * @param sqsPort the port of the functions' SQS endpoint (0: any free port)
 * @param s3Port the S3 stand-in's port (0: any free port)
 * @param cloudFormationPort where custom resources' answers to their ResponseURL are received (0: any free port)
 * @param stateDirectory where S3 objects persist across restarts; null keeps them in memory
 * @param bucketNames local bucket names by logical id; others get the logical id in lower case
 * @param defaultConcurrency the concurrency limit of functions without an SQS ScalingConfig
 * @param pollQueues whether the functions' SQS events are polled
 * @param aws the local region, account and credentials
 * @param startAhead how many environments of each function (at most its concurrency) are created and initialised
 *        while the platform starts, as provisioned concurrency keeps environments ready, so the first invocations
 *        find them warm; 0: every environment starts on demand
 */
public record Options(Path template, Map<String, String> parameters, Map<String, String> environment,
        Map<String, String> attributes, String listenAddress, int apiPort, int sqsPort, int s3Port,
        int cloudFormationPort, Path stateDirectory, Map<String, String> bucketNames, int defaultConcurrency,
        boolean pollQueues, LocalAws aws, int startAhead) {

    public static final String LOOPBACK = "127.0.0.1";
    public static final int DEFAULT_API_PORT = 3000;
    public static final int NO_API = -1;

    public Options {
        parameters = Map.copyOf(parameters);
        environment = Map.copyOf(environment);
        attributes = Map.copyOf(attributes);
        bucketNames = Map.copyOf(bucketNames);
    }

    public static Options defaults(Path template) {
        return new Options(template, Map.of(), Map.of(), Map.of(), LOOPBACK, DEFAULT_API_PORT, 0, 0, 0, null,
                Map.of(), 10, true, LocalAws.defaults(), 0);
    }

    /** Whether containers (sam local invoke) are meant to reach the stand-ins. */
    public boolean beyondLoopback() {
        return !listenAddress.equals(LOOPBACK) && !listenAddress.equals("localhost");
    }

    public Options withParameters(Map<String, String> values) {
        return new Options(template, values, environment, attributes, listenAddress, apiPort, sqsPort, s3Port,
                cloudFormationPort, stateDirectory, bucketNames, defaultConcurrency, pollQueues, aws, startAhead);
    }

    public Options withEnvironment(Map<String, String> values) {
        return new Options(template, parameters, values, attributes, listenAddress, apiPort, sqsPort, s3Port,
                cloudFormationPort, stateDirectory, bucketNames, defaultConcurrency, pollQueues, aws, startAhead);
    }

    public Options withAttributes(Map<String, String> values) {
        return new Options(template, parameters, environment, values, listenAddress, apiPort, sqsPort, s3Port,
                cloudFormationPort, stateDirectory, bucketNames, defaultConcurrency, pollQueues, aws, startAhead);
    }

    public Options withListenAddress(String address) {
        return new Options(template, parameters, environment, attributes, address, apiPort, sqsPort, s3Port,
                cloudFormationPort, stateDirectory, bucketNames, defaultConcurrency, pollQueues, aws, startAhead);
    }

    public Options withApiPort(int port) {
        return new Options(template, parameters, environment, attributes, listenAddress, port, sqsPort, s3Port,
                cloudFormationPort, stateDirectory, bucketNames, defaultConcurrency, pollQueues, aws, startAhead);
    }

    /** The ports of the functions' SQS endpoint, of S3 and of the CloudFormation response receiver. */
    public Options withServicePorts(int sqs, int s3, int cloudFormation) {
        return new Options(template, parameters, environment, attributes, listenAddress, apiPort, sqs, s3,
                cloudFormation, stateDirectory, bucketNames, defaultConcurrency, pollQueues, aws, startAhead);
    }

    public Options withBucketNames(Map<String, String> names) {
        return new Options(template, parameters, environment, attributes, listenAddress, apiPort, sqsPort, s3Port,
                cloudFormationPort, stateDirectory, names, defaultConcurrency, pollQueues, aws, startAhead);
    }

    public Options withDefaultConcurrency(int concurrency) {
        return new Options(template, parameters, environment, attributes, listenAddress, apiPort, sqsPort, s3Port,
                cloudFormationPort, stateDirectory, bucketNames, concurrency, pollQueues, aws, startAhead);
    }

    public Options withStateDirectory(Path directory) {
        return new Options(template, parameters, environment, attributes, listenAddress, apiPort, sqsPort, s3Port,
                cloudFormationPort, directory, bucketNames, defaultConcurrency, pollQueues, aws, startAhead);
    }

    public Options withPollQueues(boolean poll) {
        return new Options(template, parameters, environment, attributes, listenAddress, apiPort, sqsPort, s3Port,
                cloudFormationPort, stateDirectory, bucketNames, defaultConcurrency, poll, aws, startAhead);
    }

    public Options withStartAhead(int ahead) {
        return new Options(template, parameters, environment, attributes, listenAddress, apiPort, sqsPort, s3Port,
                cloudFormationPort, stateDirectory, bucketNames, defaultConcurrency, pollQueues, aws, ahead);
    }
}
