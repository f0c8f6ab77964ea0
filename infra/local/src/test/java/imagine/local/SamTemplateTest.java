package imagine.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import imagine.local.template.FunctionSpec;
import imagine.local.template.HttpRoute;
import imagine.local.template.Intrinsics;
import imagine.local.template.QueueAddress;
import imagine.local.template.QueueSpec;
import imagine.local.template.SamTemplate;
import imagine.local.template.SqsSubscription;
import imagine.local.template.TemplateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamTemplateTest {
    private static final Path REAL = Path.of("../../template.yaml");
    private static final Map<String, String> REQUIRED = Map.of(
            "TelegramBotToken", "123:token", "TelegramWebhookSecret", "secret-secret-secret",
            "TelegramBotUsername", "imagine_bot", "ReplicateApiToken", "r8_token", "AllowedUserIds", "everyone");

    private final SamTemplate template = SamTemplate.load(REAL);

    private Intrinsics values(Map<String, String> parameters) {
        return template.intrinsics(parameters, "us-east-1", "000000000000")
                .withQueue("JobsQueue", new QueueAddress("http://q/JobsQueue", "arn:aws:sqs:us-east-1:0:JobsQueue",
                        "JobsQueue"))
                .withQueue("JobsDeadLetterQueue", new QueueAddress("http://q/Dlq", "arn:dlq", "JobsDeadLetterQueue"))
                .withBucket("MediaBucket", "mediabucket")
                .withAttribute("HttpApi", "ApiEndpoint", "http://127.0.0.1:3000")
                .withAttribute("ReplicateSigningSecret", "Key", "whsec_a2V5");
    }

    @Test
    void readsParametersWithDefaults() {
        assertThat(template.parameters()).containsKeys("TelegramBotToken", "WorkerMaximumConcurrency");
        assertThat(template.parameters().get("TelegramBotToken").defaultValue()).isNull();
        assertThat(template.parameters().get("TelegramBotToken").noEcho()).isTrue();
        assertThat(template.parameterValues(Map.of())).containsEntry("WorkerMaximumConcurrency", "50")
                .doesNotContainKey("TelegramBotToken");
    }

    @Test
    void readsQueuesWithTheirRedrivePolicy() {
        Map<String, QueueSpec> queues = template.queues(values(REQUIRED));
        assertThat(queues).containsOnlyKeys("JobsQueue", "JobsDeadLetterQueue");
        QueueSpec jobs = queues.get("JobsQueue");
        assertThat(jobs.visibilityTimeout()).isEqualTo(720);
        assertThat(jobs.messageRetentionPeriod()).isEqualTo(86400);
        assertThat(jobs.redrive()).isEqualTo(new QueueSpec.Redrive("JobsDeadLetterQueue", 5));
        assertThat(queues.get("JobsDeadLetterQueue").redrive()).isNull();
        assertThat(template.bucketIds()).containsExactly("MediaBucket");
    }

    @Test
    void mergesGlobalsIntoEachFunction() {
        Map<String, FunctionSpec> functions = template.functions(values(REQUIRED));
        assertThat(functions).containsKeys("WebhookFunction", "WorkerFunction", "DeadLetterFunction");

        FunctionSpec webhook = functions.get("WebhookFunction");
        assertThat(webhook.handler()).isEqualTo("imagine.webhook.WebhookHandler::handleRequest");
        assertThat(webhook.handlerClass()).isEqualTo("imagine.webhook.WebhookHandler");
        assertThat(webhook.codeUri()).as("the shaded jar of the module CodeUri names")
                .isEqualTo(REAL.toAbsolutePath().normalize().getParent()
                .resolve("functions/webhook/target/imagine-webhook.jar"));
        assertThat(webhook.timeoutSeconds()).isEqualTo(10);
        assertThat(webhook.memorySize()).isEqualTo(1024);
        assertThat(webhook.environment())
                .containsEntry("TELEGRAM_BOT_TOKEN", "123:token")
                .containsEntry("DAILY_IMAGE_QUOTA", "20")
                .containsEntry("TELEGRAM_WEBHOOK_SECRET", "secret-secret-secret")
                .containsEntry("TELEGRAM_API_URL", "https://api.telegram.org")
                .containsEntry("JOBS_QUEUE_URL", "http://q/JobsQueue")
                .containsEntry("MEDIA_BUCKET", "mediabucket")
                .containsEntry("IMAGES_PER_PROMPT", "1")
                .containsEntry("ALLOWED_USER_IDS", "");
        assertThat(webhook.routes()).containsExactly(new HttpRoute("Telegram", "POST", "/telegram"));
        assertThat(webhook.routes().get(0).routeKey()).isEqualTo("POST /telegram");
        assertThat(webhook.sqsEvents()).isEmpty();

        FunctionSpec worker = functions.get("WorkerFunction");
        assertThat(worker.timeoutSeconds()).isEqualTo(120);
        assertThat(worker.environment()).containsEntry("REPLICATE_API_TOKEN", "r8_token")
                .containsEntry("JOBS_QUEUE_URL", "http://q/JobsQueue")
                .doesNotContainKey("TELEGRAM_WEBHOOK_SECRET");
        assertThat(worker.sqsEvents()).containsExactly(new SqsSubscription("Jobs", "JobsQueue", 5, 0, true, 50));

        FunctionSpec deadLetters = functions.get("DeadLetterFunction");
        assertThat(deadLetters.timeoutSeconds()).isEqualTo(30);
        assertThat(deadLetters.memorySize()).isEqualTo(512);
        assertThat(deadLetters.sqsEvents())
                .containsExactly(new SqsSubscription("DeadLetters", "JobsDeadLetterQueue", 10, 0, true, 2));
    }

    @Test
    void givenParametersOverrideDefaults() {
        Map<String, String> parameters = new HashMap<>(REQUIRED);
        parameters.put("WorkerMaximumConcurrency", "7");
        parameters.put("BlockedTerms", "gore");
        FunctionSpec worker = template.function("WorkerFunction", values(parameters));
        assertThat(worker.sqsEvents().get(0).maximumConcurrency()).isEqualTo(7);
        assertThat(worker.environment()).containsEntry("BLOCKED_TERMS", "gore");
    }

    @Test
    void conditionsPickWhatTheFunctionsGet() {
        Map<String, String> polling = new HashMap<>(REQUIRED);
        polling.put("PredictionUpdates", "polling");
        polling.put("AllowedUserIds", "42,43");

        assertThat(template.function("WorkerFunction", values(REQUIRED)).environment())
                .containsEntry("PUBLIC_URL", "http://127.0.0.1:3000");
        assertThat(template.function("CallbackFunction", values(REQUIRED)).environment())
                .containsEntry("REPLICATE_WEBHOOK_SECRET", "whsec_a2V5");
        assertThat(template.function("WebhookFunction", values(REQUIRED)).environment())
                .containsEntry("ALLOWED_USER_IDS", "");
        assertThat(template.function("WorkerFunction", values(polling)).environment()).containsEntry("PUBLIC_URL", "");
        assertThat(template.function("CallbackFunction", values(polling)).environment())
                .containsEntry("REPLICATE_WEBHOOK_SECRET", "");
        assertThat(template.function("WebhookFunction", values(polling)).environment())
                .containsEntry("ALLOWED_USER_IDS", "42,43");
    }

    @Test
    void aBranchNotTakenIsNotResolved(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("t.yaml"), """
                Parameters:
                  Mode: {Type: String, Default: quiet}
                Conditions:
                  Loud: !Equals [!Ref Mode, loud]
                  Quiet: !Not [!Condition Loud]
                  Both: !And [!Condition Loud, !Equals ['${AWS::URLSuffix}', x]]
                  Either: !Or [!Condition Loud, !Condition Quiet]
                Resources:
                  F:
                    Type: AWS::Serverless::Function
                    Properties:
                      CodeUri: f.jar
                      Handler: a.B
                      Environment:
                        Variables:
                          PICKED: !If [Loud, !GetAtt Nowhere.Url, !Sub 'https://x.${AWS::URLSuffix}']
                          QUIET: !If [Quiet, 'yes', 'no']
                          BOTH: !If [Both, 'yes', 'no']
                          EITHER: !If [Either, 'yes', 'no']
                """);
        SamTemplate t = SamTemplate.load(file);
        assertThat(t.function("F", t.intrinsics(Map.of(), "eu-west-1", "123")).environment())
                .containsExactlyInAnyOrderEntriesOf(Map.of("PICKED", "https://x.amazonaws.com", "QUIET", "yes",
                        "BOTH", "no", "EITHER", "yes"));
        assertThatThrownBy(() -> t.function("F", t.intrinsics(Map.of("Mode", "loud"), "eu-west-1", "123")))
                .isInstanceOf(TemplateException.class).hasMessageContaining("Nowhere.Url");
    }

    @Test
    void aCodeUriThatIsAMavenModuleRunsTheJarItsPomNames(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("fn"));
        Files.writeString(dir.resolve("fn/pom.xml"), "<project><build><finalName>my-fn</finalName></build></project>");
        Path file = Files.writeString(dir.resolve("t.yaml"), """
                Resources:
                  F:
                    Type: AWS::Serverless::Function
                    Properties: {CodeUri: fn, Handler: a.B}
                  G:
                    Type: AWS::Serverless::Function
                    Properties: {CodeUri: g.jar, Handler: a.B}
                """);
        SamTemplate t = SamTemplate.load(file);
        Intrinsics values = t.intrinsics(Map.of(), "eu-west-1", "123");

        assertThat(t.function("F", values).codeUri()).isEqualTo(dir.resolve("fn/target/my-fn.jar").toAbsolutePath());
        assertThat(t.function("G", values).codeUri()).isEqualTo(dir.resolve("g.jar").toAbsolutePath());
    }

    @Test
    void unresolvableValuesNameTheirKey() {
        assertThatThrownBy(() -> template.functions(values(Map.of())))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("TelegramBotUsername")
                .hasMessageContaining("Environment.Variables.TELEGRAM_BOT_USERNAME");
        Intrinsics noQueues = template.intrinsics(REQUIRED, "us-east-1", "000000000000");
        assertThatThrownBy(() -> template.functions(noQueues)).hasMessageContaining("JobsQueue");
        assertThatThrownBy(() -> template.parameterValues(Map.of("NoSuchParameter", "x")))
                .hasMessageContaining("NoSuchParameter");
        assertThatThrownBy(() -> template.function("NoSuchFunction", noQueues)).hasMessageContaining("NoSuchFunction");
    }

    @Test
    void resolvesSubJoinAndLongForms(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("t.yaml"), """
                Parameters:
                  Stage: {Type: String, Default: dev}
                Resources:
                  Q:
                    Type: AWS::SQS::Queue
                  F:
                    Type: AWS::Serverless::Function
                    Properties:
                      CodeUri: f.jar
                      Handler: a.B
                      Environment:
                        Variables:
                          SUB: !Sub '${Stage}-${AWS::Region}-${AWS::AccountId}-${Q.QueueName}-${!Literal}'
                          SUB_LIST: !Sub ['${X}/${Q}', {X: !Ref Stage}]
                          JOIN: !Join [',', [a, !Ref Stage, !GetAtt Q.Arn]]
                          LONG_REF: {Ref: Stage}
                          LONG_GETATT: {'Fn::GetAtt': [Q, Arn]}
                          NUMBER: 5
                """);
        SamTemplate t = SamTemplate.load(file);
        Intrinsics values = t.intrinsics(Map.of(), "eu-west-1", "123")
                .withQueue("Q", new QueueAddress("http://q", "arn:q", "qname"));
        FunctionSpec f = t.function("F", values);
        assertThat(f.environment()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "SUB", "dev-eu-west-1-123-qname-${Literal}",
                "SUB_LIST", "dev/http://q",
                "JOIN", "a,dev,arn:q",
                "LONG_REF", "dev",
                "LONG_GETATT", "arn:q",
                "NUMBER", "5"));
        assertThat(f.timeoutSeconds()).isEqualTo(3);
        assertThat(f.memorySize()).isEqualTo(128);
    }
}
