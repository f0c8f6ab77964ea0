package imagine.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A directory with a small template over the test function jar, a record file and a gate directory. */
record TestProject(Path directory, Path template, Path records, Path gates) {

    static final String TEMPLATE = """
            AWSTemplateFormatVersion: '2010-09-09'
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              RecordFile:
                Type: String
              GateDir:
                Type: String
              SlowConcurrency:
                Type: Number
                Default: 3
            Globals:
              Function:
                CodeUri: functions.jar
                MemorySize: 256
                Timeout: 20
                Environment:
                  Variables:
                    RECORD_FILE: !Ref RecordFile
                    GATE_DIR: !Ref GateDir
            Resources:
              ApiFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: testfn.ApiEcho::handleRequest
                  Events:
                    Echo:
                      Type: HttpApi
                      Properties: {Path: /echo, Method: POST}
                    Item:
                      Type: HttpApi
                      Properties: {Path: '/items/{id}', Method: GET}
                    Boom:
                      Type: HttpApi
                      Properties: {Path: /boom, Method: POST}
                    Slow:
                      Type: HttpApi
                      Properties: {Path: /slow, Method: GET}
              JobsFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: testfn.Jobs::handleRequest
                  Environment:
                    Variables:
                      QUEUE_URL: !Ref JobsQueue
                      BUCKET: !Ref MediaBucket
                  Events:
                    Jobs:
                      Type: SQS
                      Properties:
                        Queue: !GetAtt JobsQueue.Arn
                        BatchSize: 10
                        FunctionResponseTypes: [ReportBatchItemFailures]
                        ScalingConfig:
                          MaximumConcurrency: 2
                    Batches:
                      Type: SQS
                      Properties:
                        Queue: !GetAtt BatchesQueue.Arn
                        BatchSize: 10
                        FunctionResponseTypes: [ReportBatchItemFailures]
              SlowFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: testfn.Jobs::handleRequest
                  Events:
                    Slow:
                      Type: SQS
                      Properties:
                        Queue: !GetAtt SlowQueue.Arn
                        BatchSize: 1
                        ScalingConfig:
                          MaximumConcurrency: !Ref SlowConcurrency
              ProbeFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: testfn.Probe::handleRequest
                  Timeout: 3
                  MemorySize: 512
              JobsQueue:
                Type: AWS::SQS::Queue
                Properties:
                  VisibilityTimeout: 3
                  RedrivePolicy:
                    deadLetterTargetArn: !GetAtt JobsDeadLetterQueue.Arn
                    maxReceiveCount: 2
              JobsDeadLetterQueue:
                Type: AWS::SQS::Queue
              BatchesQueue:
                Type: AWS::SQS::Queue
                Properties:
                  VisibilityTimeout: 8
              SlowQueue:
                Type: AWS::SQS::Queue
                Properties:
                  VisibilityTimeout: 60
              MediaBucket:
                Type: AWS::S3::Bucket
            """;

    static TestProject create() {
        try {
            Path directory = Files.createTempDirectory("imagine-local-test");
            Files.copy(TestFunctions.jar(), directory.resolve("functions.jar"));
            Path template = Files.writeString(directory.resolve("template.yaml"), TEMPLATE);
            Path gates = Files.createDirectories(directory.resolve("gates"));
            return new TestProject(directory, template, directory.resolve("records.txt"), gates);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<String, String> parameters() {
        return Map.of("RecordFile", records.toString(), "GateDir", gates.toString());
    }

    List<String> recordLines() {
        try {
            return Files.exists(records) ? Files.readAllLines(records) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long count(String prefix) {
        return recordLines().stream().filter(l -> l.startsWith(prefix)).count();
    }

    void open(String gate) {
        try {
            Files.writeString(gates.resolve(gate), "open");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
