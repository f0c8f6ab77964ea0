package imagine.local.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the deployed stack lets each function do and know, and what it keeps from the world, read from template.yaml. */
class TemplatePolicyTest {
    /**
     * Everything each function may do: one line per statement, its actions then its resources. A resource is a
     * queue's logical id, {@code Bucket/prefix*} for objects, or {@code Bucket} for listing its keys: S3 answers a
     * read of a missing key with 404 only to those who may list the bucket (403 otherwise, which a function cannot
     * tell from a denied read), and a listing limited by s3:prefix is not documented to count for that, so every
     * function that reads keys which may not exist yet may list the bucket's key names. Nothing else may be granted.
     */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "WebhookFunction", grants(
                    "sqs:SendMessage JobsQueue",
                    "s3:GetObject s3:PutObject MediaBucket/users/* MediaBucket/usage/* MediaBucket/spend/*"
                            + " MediaBucket/counts/*",
                    "s3:GetObject MediaBucket/results/*",
                    "s3:ListBucket MediaBucket"),
            "WorkerFunction", grants(
                    "sqs:ReceiveMessage sqs:DeleteMessage sqs:ChangeMessageVisibility sqs:GetQueueAttributes"
                            + " sqs:SendMessage JobsQueue",
                    "sqs:GetQueueAttributes JobsDeadLetterQueue",
                    "s3:GetObject s3:PutObject MediaBucket/jobs/* MediaBucket/media/* MediaBucket/inputs/*"
                            + " MediaBucket/results/* MediaBucket/albums/* MediaBucket/chats/* MediaBucket/pace/*"
                            + " MediaBucket/usage/* MediaBucket/running/* MediaBucket/spend/* MediaBucket/counts/*",
                    "s3:GetObject MediaBucket/users/*",
                    "s3:DeleteObject MediaBucket/running/* MediaBucket/users/* MediaBucket/usage/*"
                            + " MediaBucket/results/* MediaBucket/media/* MediaBucket/inputs/* MediaBucket/pace/*",
                    "s3:ListBucket MediaBucket"),
            "CallbackFunction", grants(
                    "sqs:SendMessage JobsQueue",
                    "s3:GetObject MediaBucket/jobs/*",
                    "s3:ListBucket MediaBucket"),
            "DeadLetterFunction", grants(
                    "sqs:ReceiveMessage sqs:DeleteMessage sqs:ChangeMessageVisibility sqs:GetQueueAttributes"
                            + " JobsDeadLetterQueue",
                    "s3:GetObject s3:PutObject MediaBucket/jobs/* MediaBucket/media/* MediaBucket/inputs/*"
                            + " MediaBucket/results/* MediaBucket/albums/* MediaBucket/chats/* MediaBucket/pace/*"
                            + " MediaBucket/usage/* MediaBucket/running/* MediaBucket/spend/* MediaBucket/counts/*",
                    "s3:GetObject MediaBucket/users/*",
                    "s3:DeleteObject MediaBucket/running/* MediaBucket/pace/*",
                    "s3:ListBucket MediaBucket"),
            "RegistrationFunction", grants());

    /** The secrets each function holds (environment variables); the others it must not hold. */
    private static final Map<String, Set<String>> SECRETS = Map.of(
            "WebhookFunction", Set.of("TELEGRAM_WEBHOOK_SECRET", "TELEGRAM_BOT_TOKEN"),
            "WorkerFunction", Set.of("TELEGRAM_BOT_TOKEN", "REPLICATE_API_TOKEN"),
            "CallbackFunction", Set.of("REPLICATE_WEBHOOK_SECRET"),
            "DeadLetterFunction", Set.of("TELEGRAM_BOT_TOKEN", "REPLICATE_API_TOKEN"),
            "RegistrationFunction", Set.of("TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "REPLICATE_API_TOKEN"));
    private static final Set<String> SECRET_VARIABLES = Set.of("TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET",
            "REPLICATE_API_TOKEN", "REPLICATE_WEBHOOK_SECRET");
    /** API Gateway's HTTP APIs stop waiting for an integration after 30 s. */
    private static final int HTTP_API_TIMEOUT = 30;

    private final Map<String, Object> template = load(Path.of("../../template.yaml"));
    private final Map<String, Map<String, Object>> resources = map(template, "Resources").entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, entry -> asMap(entry.getValue())));

    @Test
    void everyFunctionIsGrantedExactlyTheActionsAndPrefixesItUses() {
        assertThat(functionIds()).containsExactlyInAnyOrderElementsOf(ALLOWED.keySet());
        functionIds().forEach(function -> assertThat(granted(function))
                .as("%s's policies, as (action resource)", function)
                .containsExactlyInAnyOrderElementsOf(ALLOWED.get(function)));
    }

    @Test
    void eachFunctionHoldsOnlyTheSecretsItUses() {
        functionIds().forEach(function -> assertThat(environment(function).keySet().stream()
                .filter(SECRET_VARIABLES::contains).collect(Collectors.toSet()))
                .as("%s's secrets", function).isEqualTo(SECRETS.get(function)));
    }

    @Test
    void replicatesSigningSecretComesFromTheDeployAndOnlyWithCallbacks() {
        assertThat(environment("CallbackFunction").get("REPLICATE_WEBHOOK_SECRET")).isEqualTo(Map.of("Fn::If",
                List.of("Callbacks", Map.of("Fn::GetAtt", List.of("ReplicateSigningSecret", "Key")), "")));
        Map<String, Object> signingSecret = resources.get("ReplicateSigningSecret");
        assertThat(signingSecret.get("Type")).isEqualTo("Custom::ReplicateSigningSecret");
        assertThat(signingSecret.get("Condition")).isEqualTo("Callbacks");
        assertThat(map(signingSecret, "Properties").get("ServiceToken"))
                .isEqualTo(Map.of("Fn::GetAtt", List.of("RegistrationFunction", "Arn")));
        assertThat(map(map(template, "Parameters"), "PredictionUpdates")).containsEntry("Default", "callbacks");
    }

    @Test
    void theWorkerCreatesPredictionsWithAWebhookToThisStacksApiUnlessItPolls() {
        assertThat(environment("WorkerFunction").get("PUBLIC_URL")).isEqualTo(Map.of("Fn::If",
                List.of("Callbacks", Map.of("Fn::GetAtt", List.of("HttpApi", "ApiEndpoint")), "")));
        functionIds().stream().filter(function -> !function.equals("WorkerFunction")).forEach(function ->
                assertThat(environment(function)).as(function).doesNotContainKey("PUBLIC_URL"));
        assertThat(map(map(template, "Conditions"), "Callbacks").get("Fn::Equals"))
                .isEqualTo(List.of(Map.of("Ref", "PredictionUpdates"), "callbacks"));
    }

    @Test
    void theDeployRegistersAgainWhenATokenOrSecretChangesAfterTheWebhookTakesTheNewSecret() {
        Map<String, Object> registration = map(resources.get("TelegramWebhook"), "Properties");
        assertThat(registration.get("RegistrationVersion")).as("a new version of the function that holds them")
                .isEqualTo(Map.of("Ref", "RegistrationFunction.Version"));
        assertThat(registration.get("WebhookAlias")).as("setWebhook runs once the webhook's alias is updated")
                .isEqualTo(Map.of("Ref", "WebhookFunction.Alias"));
        assertThat(registration).doesNotContainKeys("Secret", "SecretToken", "TelegramWebhookSecret");
    }

    @Test
    void nobodyIsLetInAndNothingIsUnlimitedUnlessTheOwnerSaysSo() {
        Map<String, Object> parameters = map(template, "Parameters");
        assertThat(map(parameters, "AllowedUserIds")).as("who may use the bot has no default").doesNotContainKey("Default");
        assertThat("".matches((String) map(parameters, "AllowedUserIds").get("AllowedPattern")))
                .as("an empty allow-list is refused; everyone must be typed").isFalse();
        assertThat("everyone".matches((String) map(parameters, "AllowedUserIds").get("AllowedPattern"))).isTrue();
        assertThat("123, 456".matches((String) map(parameters, "AllowedUserIds").get("AllowedPattern"))).isTrue();
        assertThat(environment("WebhookFunction").get("ALLOWED_USER_IDS")).isEqualTo(Map.of("Fn::If",
                List.of("OpenToEveryone", "", Map.of("Ref", "AllowedUserIds"))));
        assertThat(((Number) map(parameters, "DailyImageQuota").get("Default")).intValue()).isPositive();
        assertThat(((Number) map(parameters, "DailyVideoQuota").get("Default")).intValue()).isPositive();
        assertThat(environment("WebhookFunction")).containsEntry("DAILY_IMAGE_QUOTA", Map.of("Ref", "DailyImageQuota"))
                .containsEntry("DAILY_VIDEO_QUOTA", Map.of("Ref", "DailyVideoQuota"))
                .containsEntry("DAILY_TEXT_QUOTA", Map.of("Ref", "DailyTextQuota"));
        assertThat(((Number) map(parameters, "DailyTextQuota").get("Default")).intValue()).isPositive();
    }

    @Test
    void theDailyBudgetHasASmallDefaultThatZeroSwitchesOffAndEveryFunctionThatCountsMoneyKnowsIt() {
        Map<String, Object> budget = map(map(template, "Parameters"), "DailyBudgetUsd");
        assertThat(((Number) budget.get("Default")).doubleValue()).as("a small amount, not off").isBetween(1.0, 20.0);
        assertThat(((Number) budget.get("MinValue")).intValue()).as("0 switches it off").isZero();
        assertThat(map(map(map(template, "Globals"), "Function"), "Environment")).extracting(env -> map(env, "Variables"))
                .satisfies(variables -> assertThat(variables)
                        .containsEntry("DAILY_BUDGET_USD", Map.of("Ref", "DailyBudgetUsd"))
                        .containsEntry("METRICS_NAMESPACE", Map.of("Fn::Sub", "Imagine/${AWS::StackName}")));
        assertThat(environment("WorkerFunction")).containsEntry("DEAD_LETTER_QUEUE_URL", Map.of("Ref", "JobsDeadLetterQueue"));
    }

    @Test
    void everyAlarmTellsTheAlarmTopicWhichMailsTheOwnerOnlyWhenAnAddressIsGiven() {
        List<String> alarms = resources.entrySet().stream()
                .filter(resource -> "AWS::CloudWatch::Alarm".equals(resource.getValue().get("Type")))
                .map(Map.Entry::getKey).sorted().toList();
        assertThat(alarms).containsExactly("BudgetReachedAlarm", "CallbackErrorsAlarm", "DeadLetterErrorsAlarm",
                "DeadLettersAlarm", "ReplicateFailuresAlarm", "WebhookErrorsAlarm", "WorkerErrorsAlarm");
        alarms.forEach(alarm -> assertThat(map(resources.get(alarm), "Properties").get("AlarmActions")).as(alarm)
                .isEqualTo(List.of(Map.of("Ref", "AlarmTopic"))));
        Map<String, Object> subscription = resources.get("AlarmEmailSubscription");
        assertThat(subscription.get("Condition")).isEqualTo("HasAlarmEmail");
        assertThat(map(subscription, "Properties")).containsEntry("Protocol", "email")
                .containsEntry("Endpoint", Map.of("Ref", "AlarmEmail"));
        assertThat(map(map(template, "Parameters"), "AlarmEmail")).containsEntry("Default", "");
        assertThat(resources.get("OperationsDashboard").get("Type")).isEqualTo("AWS::CloudWatch::Dashboard");
    }

    @Test
    void eachFunctionBehindTheLiveAliasShiftsGraduallyAndItsAlarmsRollItBack() {
        Map<String, List<Object>> rolledBackBy = Map.of(
                "WebhookFunction", List.of(Map.of("Ref", "WebhookErrorsAlarm")),
                "WorkerFunction", List.of(Map.of("Ref", "WorkerErrorsAlarm"), Map.of("Ref", "ReplicateFailuresAlarm")),
                "CallbackFunction", List.of(Map.of("Ref", "CallbackErrorsAlarm")),
                "DeadLetterFunction", List.of(Map.of("Ref", "DeadLetterErrorsAlarm")));
        rolledBackBy.forEach((function, alarms) -> {
            Map<String, Object> preference = asMap(functionProperty(function, "DeploymentPreference"));
            assertThat(preference).as(function).containsEntry("Type", Map.of("Ref", "DeploymentType"))
                    .containsEntry("Alarms", alarms);
            String errors = function.replace("Function", "ErrorsAlarm");
            assertThat(list(map(resources.get(errors), "Properties"), "Dimensions")).as("%s watches its new version", errors)
                    .contains(Map.of("Name", "FunctionName", "Value", Map.of("Ref", function)),
                            Map.of("Name", "ExecutedVersion", "Value",
                                    Map.of("Fn::GetAtt", List.of(function, "Version.Version"))));
        });
        assertThat(map(map(template, "Globals"), "Function")).containsEntry("AutoPublishAlias", "live");
        assertThat(map(map(template, "Parameters"), "DeploymentType")).containsEntry("Default", "Canary10Percent5Minutes");
    }

    @Test
    void theMediaBucketBlocksAllPublicAccessAndIsEncrypted() {
        Map<String, Object> bucket = map(resources.get("MediaBucket"), "Properties");

        assertThat(map(bucket, "PublicAccessBlockConfiguration")).as("public access block").isEqualTo(Map.of(
                "BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true));
        assertThat(list(map(bucket, "BucketEncryption"), "ServerSideEncryptionConfiguration"))
                .as("default encryption of the media bucket").isNotEmpty()
                .allSatisfy(rule -> assertThat(map(asMap(rule), "ServerSideEncryptionByDefault").get("SSEAlgorithm"))
                        .isIn("AES256", "aws:kms", "aws:kms:dsse"));
    }

    @Test
    void everyTokenAndSecretParameterIsNoEchoAndEveryNoEchoOneIsAskedEveryGuidedDeploy() {
        Map<String, Object> parameters = map(template, "Parameters");
        Set<String> secrets = parameters.keySet().stream()
                .filter(name -> name.matches("(?i).*(token|secret|password|key).*")).collect(Collectors.toSet());

        assertThat(secrets).as("the stack takes its secrets as parameters")
                .containsExactlyInAnyOrder("TelegramBotToken", "TelegramWebhookSecret", "ReplicateApiToken");
        secrets.forEach(name -> assertThat(map(parameters, name).get("NoEcho"))
                .as("%s must be NoEcho so the console and describe-stacks do not show it", name).isEqualTo(true));
        parameters.forEach((name, parameter) -> assertThat(asMap(parameter).containsKey("NoEcho") && asMap(parameter)
                .containsKey("Default")).as("%s: sam deploy --guided asks for a NoEcho parameter with no default;"
                + " an empty answer is not taken", name).isFalse());
    }

    @Test
    void endpointVariablesAreDeclaredEmptySoTheSdkStaysOnAwsAndNeverTheSdksOwnNames() {
        Map<String, Object> globals = variables(map(map(template, "Globals"), "Function"));
        assertThat(globals).containsEntry("S3_ENDPOINT_URL", "").containsEntry("SQS_ENDPOINT_URL", "");
        functionIds().forEach(function -> assertThat(environment(function).keySet())
                .as("%s: the SDK reads AWS_ENDPOINT_URL* itself and fails on an empty one", function)
                .noneMatch(name -> name.startsWith("AWS_ENDPOINT_URL")));
    }

    @Test
    void everyTimeoutFitsItsTrigger() {
        functionIds().forEach(function -> {
            int timeout = timeout(function);
            Map<String, Object> events = map(map(resources.get(function), "Properties"), "Events");
            events.values().forEach(event -> {
                Map<String, Object> properties = map(asMap(event), "Properties");
                switch ((String) asMap(event).get("Type")) {
                    case "HttpApi" -> assertThat(timeout).as("%s answers within the HTTP API's %d s", function,
                            HTTP_API_TIMEOUT).isLessThan(HTTP_API_TIMEOUT);
                    case "SQS" -> {
                        String queue = referencedResource(properties.get("Queue"));
                        assertThat(((Number) map(resources.get(queue), "Properties").get("VisibilityTimeout"))
                                .intValue()).as("%s reappears only when no %s can still be on it (6 x %d s)", queue,
                                function, timeout).isGreaterThanOrEqualTo(6 * timeout);
                    }
                    default -> throw new AssertionError(function + ": a trigger this test does not know");
                }
            });
        });
        resources.values().stream().filter(resource -> String.valueOf(resource.get("Type")).startsWith("Custom::"))
                .forEach(custom -> {
                    Map<String, Object> properties = map(custom, "Properties");
                    String function = referencedResource(properties.get("ServiceToken"));
                    assertThat(((Number) properties.get("ServiceTimeout")).intValue())
                            .as("CloudFormation waits longer than %s may run", function)
                            .isGreaterThan(timeout(function));
                });
    }

    @Test
    void aJobIsTriedFiveTimesBeforeTheDeadLetterQueueWhichKeepsItLonger() {
        Map<String, Object> redrive = map(map(resources.get("JobsQueue"), "Properties"), "RedrivePolicy");
        // The dead-letter function counts its own tries past this (DeadLetterHandler.JOBS_QUEUE_MAX_RECEIVES).
        assertThat(((Number) redrive.get("maxReceiveCount")).intValue()).as("tries before a job is given up")
                .isEqualTo(5);
        assertThat(referencedResource(redrive.get("deadLetterTargetArn"))).as("given-up jobs reach the dead-letter queue")
                .isEqualTo("JobsDeadLetterQueue");
        assertThat(retention("JobsDeadLetterQueue")).as("a dead letter expires on its first enqueue time")
                .isGreaterThan(retention("JobsQueue"));
    }

    @Test
    void everyFunctionLogsJsonToItsOwnLogGroupThatTheTemplateCreatesFirst() {
        functionIds().forEach(function -> {
            Map<String, Object> logging = asMap(functionProperty(function, "LoggingConfig"));
            assertThat(logging.get("LogFormat")).as("%s logs JSON", function).isEqualTo("JSON");
            assertThat(logging.get("LogGroup")).as("%s names its group, so the group exists before it can log",
                    function).isEqualTo(Map.of("Ref", function + "Logs"));
            Map<String, Object> group = resources.get(function + "Logs");
            assertThat(group.get("Type")).isEqualTo("AWS::Logs::LogGroup");
            assertThat(map(group, "Properties")).as("%s's group keeps logs for a bounded time", function)
                    .containsKey("RetentionInDays")
                    .containsEntry("LogGroupName", Map.of("Fn::Sub", "/aws/lambda/${AWS::StackName}/" + function));
            assertThat(group.get("UpdateReplacePolicy")).as("a group replaced on update keeps its logs till they expire")
                    .isEqualTo("Retain");
        });
    }

    @Test
    void everyFunctionRunsJava21WithSnapStartOnPublishedVersionsBuiltFromItsModule() {
        functionIds().forEach(function -> {
            assertThat(functionProperty(function, "Runtime")).as("%s runtime", function).isEqualTo("java21");
            assertThat(functionProperty(function, "SnapStart")).as("%s SnapStart", function)
                    .isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
            assertThat(functionProperty(function, "AutoPublishAlias"))
                    .as("%s is invoked through an alias, so the SnapStart version is what runs", function).isNotNull();
            assertThat(map(resources.get(function), "Metadata")).as("%s is built by the Makefile from the project root",
                    function).isEqualTo(Map.of("BuildMethod", "makefile", "ProjectRootDirectory", "."));
        });
    }

    /** The functions, queues and bucket deployed stacks have: renaming one would replace it on update. */
    @Test
    void deployedStacksUpdateInPlace() {
        assertThat(resources.keySet()).containsAll(List.of("HttpApi", "WebhookFunction", "WorkerFunction",
                "CallbackFunction", "DeadLetterFunction", "RegistrationFunction", "TelegramWebhook", "JobsQueue",
                "JobsDeadLetterQueue", "MediaBucket", "HttpApiAccessLogs", "WebhookFunctionLogs", "WorkerFunctionLogs",
                "RegistrationFunctionLogs", "CallbackFunctionLogs", "DeadLetterFunctionLogs"));
        assertThat(map(map(resources.get("WorkerFunction"), "Properties"), "Events")).containsOnlyKeys("Jobs");
        assertThat(map(map(resources.get("DeadLetterFunction"), "Properties"), "Events")).containsOnlyKeys("DeadLetters");
        assertThat(map(map(resources.get("WebhookFunction"), "Properties"), "Events")).containsOnlyKeys("Telegram");
        assertThat(map(map(resources.get("CallbackFunction"), "Properties"), "Events")).containsOnlyKeys("Replicate");
    }

    /** The function's statements as "action resource" pairs; a statement outside this stack's queues and bucket fails. */
    private Set<String> granted(String function) {
        Set<String> pairs = new TreeSet<>();
        for (Object policy : asList(functionProperty(function, "Policies"))) {
            assertThat(policy).as("%s: only statements (no managed policies, no SAM policy templates)", function)
                    .isInstanceOfSatisfying(Map.class, p -> assertThat(asMap(p)).containsOnlyKeys("Statement"));
            for (Object item : list(asMap(policy), "Statement")) {
                Map<String, Object> statement = asMap(item);
                assertThat(statement).as("%s: an Allow of Action on Resource", function)
                        .containsEntry("Effect", "Allow").doesNotContainKeys("NotAction", "NotResource");
                List<String> where = resourcesOf(function, statement);
                asList(statement.get("Action")).forEach(action -> where.forEach(resource ->
                        pairs.add(action + " " + resource)));
            }
        }
        return pairs;
    }

    private List<String> resourcesOf(String function, Map<String, Object> statement) {
        assertThat(statement).as("%s: no conditions to read past", function).doesNotContainKey("Condition");
        List<String> where = new ArrayList<>();
        for (Object resource : asList(statement.get("Resource"))) {
            String id = referencedResource(resource);
            assertThat(id).as("%s: %s is one of this stack's queues or its bucket", function, resource)
                    .isIn("JobsQueue", "JobsDeadLetterQueue", "MediaBucket");
            if (resource instanceof Map<?, ?> intrinsic && intrinsic.containsKey("Fn::Sub")) {
                where.add(id + String.valueOf(intrinsic.get("Fn::Sub")).replaceFirst("^\\$\\{[^}]+}", ""));
            } else {
                where.add(id);
            }
        }
        return where;
    }

    private static Set<String> grants(String... lines) {
        Set<String> pairs = new LinkedHashSet<>();
        for (String line : lines) {
            List<String> words = List.of(line.trim().split("\\s+"));
            List<String> actions = words.stream().filter(word -> word.matches("(s3|sqs):\\w+")).toList();
            words.stream().filter(word -> !actions.contains(word))
                    .forEach(resource -> actions.forEach(action -> pairs.add(action + " " + resource)));
        }
        return pairs;
    }

    /** The logical id a !Ref, !GetAtt or !Sub "${Id...}" points to; null for anything else. */
    private static String referencedResource(Object value) {
        if (!(value instanceof Map<?, ?> intrinsic) || intrinsic.size() != 1) {
            return null;
        }
        Object argument = intrinsic.values().iterator().next();
        return switch (String.valueOf(intrinsic.keySet().iterator().next())) {
            case "Ref" -> String.valueOf(argument);
            case "Fn::GetAtt" -> String.valueOf(asList(argument).get(0));
            case "Fn::Sub" -> argument instanceof String text && text.matches("[^$]*\\$\\{[A-Za-z0-9]+[.}].*")
                    ? text.replaceFirst("[^$]*\\$\\{([A-Za-z0-9]+).*", "$1") : null;
            default -> null;
        };
    }

    private List<String> functionIds() {
        return resources.entrySet().stream()
                .filter(entry -> "AWS::Serverless::Function".equals(entry.getValue().get("Type")))
                .map(Map.Entry::getKey).sorted().toList();
    }

    private int timeout(String function) {
        return ((Number) functionProperty(function, "Timeout")).intValue();
    }

    /** A function's property, or the Globals value it inherits. */
    private Object functionProperty(String function, String name) {
        Object own = map(resources.get(function), "Properties").get(name);
        return own != null ? own : map(map(template, "Globals"), "Function").get(name);
    }

    private Map<String, Object> environment(String function) {
        Map<String, Object> variables = new HashMap<>(variables(map(map(template, "Globals"), "Function")));
        variables.putAll(variables(map(resources.get(function), "Properties")));
        return variables;
    }

    private static Map<String, Object> variables(Map<String, Object> properties) {
        return map(map(properties, "Environment"), "Variables");
    }

    private long retention(String queue) {
        return ((Number) map(resources.get(queue), "Properties").get("MessageRetentionPeriod")).longValue();
    }

    private static Map<String, Object> load(Path file) {
        try {
            return asMap(CfnYaml.parse(Files.readString(file)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value == null ? Map.of() : asMap(value);
    }

    private static List<Object> list(Map<String, Object> parent, String key) {
        return asList(parent.get(key));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object value) {
        return value instanceof List<?> values ? (List<Object>) values : value == null ? List.of() : List.of(value);
    }
}
