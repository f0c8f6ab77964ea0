package imagine.local.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the deployed stack lets each function do, and what it keeps from the world, read from template.yaml. */
class TemplatePolicyTest {
    private static final Set<String> SAM_POLICY_TEMPLATES = Set.of("SQSSendMessagePolicy", "SQSPollerPolicy",
            "S3CrudPolicy", "S3ReadPolicy", "S3WritePolicy");
    private static final Set<String> SCOPED_RESOURCE_TYPES = Set.of("AWS::SQS::Queue", "AWS::S3::Bucket");

    private final Map<String, Object> template = load(Path.of("../../template.yaml"));
    private final Map<String, Map<String, Object>> resources = map(template, "Resources").entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, entry -> asMap(entry.getValue())));

    @Test
    void everyPolicyIsASamPolicyTemplateOrAStatementScopedToTheStacksOwnQueuesAndBucket() {
        functionIds().forEach(function -> policies(function).forEach(policy -> {
            assertThat(policy).as("%s: managed policies such as *FullAccess grant far more than the function uses",
                    function).isInstanceOf(Map.class);
            Map<String, Object> granted = asMap(policy);
            if (granted.containsKey("Statement")) {
                list(granted, "Statement").forEach(statement -> assertScopedStatement(function, asMap(statement)));
            } else {
                assertThat(granted).as("%s: one SAM policy template per entry", function).hasSize(1);
                String name = granted.keySet().iterator().next();
                assertThat(SAM_POLICY_TEMPLATES).as("%s uses a SAM policy template we reviewed", function).contains(name);
                asMap(granted.get(name)).values().forEach(target -> assertThat(referencedResource(target))
                        .as("%s's %s names a queue or bucket of this stack", function, name)
                        .matches(id -> SCOPED_RESOURCE_TYPES.contains(typeOf(id))));
            }
        }));
    }

    @Test
    void theWebhookCanOnlySendToTheJobsQueueReadAndWriteUserSettingsAndUsageAndReadResults() {
        List<Object> policies = policies("WebhookFunction");
        assertThat(policies).as("the webhook's permissions").hasSize(2);
        assertThat(policies.get(0)).isEqualTo(
                Map.of("SQSSendMessagePolicy", Map.of("QueueName", Map.of("Fn::GetAtt", List.of("JobsQueue", "QueueName")))));
        List<Object> statements = list(asMap(policies.get(1)), "Statement");
        assertThat(statements).hasSize(3);
        Map<String, Object> objects = asMap(statements.get(0));
        assertThat(asList(objects.get("Action"))).containsExactly("s3:GetObject", "s3:PutObject");
        assertThat(asList(objects.get("Resource"))).as("only the users/ and usage/ prefixes of the bucket").containsExactly(
                Map.of("Fn::Sub", "${MediaBucket.Arn}/users/*"), Map.of("Fn::Sub", "${MediaBucket.Arn}/usage/*"));
        Map<String, Object> listing = asMap(statements.get(1));
        assertThat(asList(listing.get("Action"))).containsExactly("s3:ListBucket");
        assertThat(listing.get("Resource")).isEqualTo(Map.of("Fn::GetAtt", List.of("MediaBucket", "Arn")));
        assertThat(map(listing, "Condition")).as("listing limited to the same prefixes").isEqualTo(
                Map.of("StringLike", Map.of("s3:prefix", List.of("users/*", "usage/*", "results/*"))));
        Map<String, Object> results = asMap(statements.get(2));
        assertThat(asList(results.get("Action"))).as("results are only read").containsExactly("s3:GetObject");
        assertThat(results.get("Resource")).isEqualTo(Map.of("Fn::Sub", "${MediaBucket.Arn}/results/*"));
    }

    @Test
    void theWorkerSendsAnIdeasImageJobsToTheJobsQueueOnlyAndBothSidesCheckTheBlockedTerms() {
        Map<String, Object> jobsQueue = Map.of("QueueName", Map.of("Fn::GetAtt", List.of("JobsQueue", "QueueName")));
        assertThat(policies("WorkerFunction")).as("the worker's permissions").contains(
                Map.of("SQSSendMessagePolicy", jobsQueue), Map.of("SQSPollerPolicy", jobsQueue));
        assertThat(environment("WorkerFunction")).containsKey("JOBS_QUEUE_URL")
                .containsEntry("BLOCKED_TERMS", Map.of("Ref", "BlockedTerms"));
        assertThat(environment("WebhookFunction")).containsEntry("BLOCKED_TERMS", Map.of("Ref", "BlockedTerms"));
    }

    @Test
    void theWebhookHoldsOnlyTheBotTokenItUsesToEditMenus() {
        assertThat(environment("WebhookFunction")).as("the webhook never calls Replicate")
                .doesNotContainKey("REPLICATE_API_TOKEN")
                .containsKey("TELEGRAM_BOT_TOKEN");
    }

    @Test
    void dailyQuotasReachTheWebhookAndDefaultToUnlimited() {
        assertThat(environment("WebhookFunction")).containsEntry("DAILY_IMAGE_QUOTA", Map.of("Ref", "DailyImageQuota"))
                .containsEntry("DAILY_VIDEO_QUOTA", Map.of("Ref", "DailyVideoQuota"))
                .containsEntry("DAILY_TEXT_QUOTA", Map.of("Ref", "DailyTextQuota"));
        assertThat(map(map(template, "Parameters"), "DailyImageQuota")).containsEntry("Default", 0);
        assertThat(map(map(template, "Parameters"), "DailyVideoQuota")).containsEntry("Default", 0);
        assertThat(map(map(template, "Parameters"), "DailyTextQuota")).containsEntry("Default", 0);
    }

    @Test
    void theCallbackCanOnlyUseTheBucketAndHoldsNoReplicateToken() {
        assertThat(policies("CallbackFunction")).as("the callback's only permission").containsExactly(
                Map.of("S3CrudPolicy", Map.of("BucketName", Map.of("Ref", "MediaBucket"))));
        assertThat(environment("CallbackFunction")).as("it downloads outputs, which need no token")
                .containsKeys("TELEGRAM_BOT_TOKEN", "REPLICATE_WEBHOOK_SECRET")
                .doesNotContainKeys("REPLICATE_API_TOKEN", "TELEGRAM_WEBHOOK_SECRET");
    }

    @Test
    void onlyTheCallbackHoldsReplicatesSigningSecretAndOnlyTheWorkerNamesThePublicUrl() {
        functionIds().forEach(function -> {
            assertThat(environment(function).containsKey("REPLICATE_WEBHOOK_SECRET")).as("%s has the signing secret",
                    function).isEqualTo(function.equals("CallbackFunction"));
            assertThat(environment(function).containsKey("PUBLIC_URL")).as("%s has PUBLIC_URL", function)
                    .isEqualTo(function.equals("WorkerFunction"));
        });
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
    void everyTokenAndSecretParameterIsNoEcho() {
        Map<String, Object> parameters = map(template, "Parameters");
        List<String> secrets = parameters.keySet().stream()
                .filter(name -> name.matches("(?i).*(token|secret|password|key).*")).toList();

        assertThat(secrets).as("the stack takes its secrets as parameters").isNotEmpty();
        secrets.forEach(name -> assertThat(map(parameters, name).get("NoEcho"))
                .as("%s must be NoEcho so the console and describe-stacks do not show it", name).isEqualTo(true));
    }

    @Test
    void aJobIsInvisibleLongEnoughForSixWorkerTimeoutsAndIsTriedFiveTimesBeforeTheDeadLetterQueue() {
        Map<String, Object> queue = map(resources.get("JobsQueue"), "Properties");
        int workerTimeout = ((Number) functionProperty("WorkerFunction", "Timeout")).intValue();

        assertThat(((Number) queue.get("VisibilityTimeout")).intValue())
                .as("a job reappears only when no worker can still be on it (6 x the worker's %d s)", workerTimeout)
                .isGreaterThanOrEqualTo(6 * workerTimeout);
        Map<String, Object> redrive = map(queue, "RedrivePolicy");
        assertThat(((Number) redrive.get("maxReceiveCount")).intValue()).as("tries before a job is given up")
                .isGreaterThanOrEqualTo(5);
        assertThat(referencedResource(redrive.get("deadLetterTargetArn"))).as("given-up jobs reach the dead-letter queue")
                .isEqualTo("JobsDeadLetterQueue");
    }

    @Test
    void theDeadLetterQueueKeepsJobsLongerThanTheJobsQueue() {
        assertThat(retention("JobsDeadLetterQueue")).as("a dead letter expires on its first enqueue time")
                .isGreaterThan(retention("JobsQueue"));
    }

    @Test
    void everyFunctionLogsToALogGroupWithRetention() {
        Map<String, Map<String, Object>> logGroups = resources.entrySet().stream()
                .filter(entry -> "AWS::Logs::LogGroup".equals(entry.getValue().get("Type")))
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> map(entry.getValue(), "Properties")));

        logGroups.forEach((id, group) -> assertThat(group).as("%s keeps logs for a bounded time", id)
                .containsKey("RetentionInDays"));
        Set<Object> names = logGroups.values().stream().map(group -> group.get("LogGroupName")).collect(Collectors.toSet());
        functionIds().forEach(function -> assertThat(names).as("%s has its own log group with retention", function)
                .contains(Map.of("Fn::Sub", "/aws/lambda/${" + function + "}")));
    }

    @Test
    void everyFunctionRunsJava21WithSnapStartOnPublishedVersions() {
        functionIds().forEach(function -> {
            assertThat(functionProperty(function, "Runtime")).as("%s runtime", function).isEqualTo("java21");
            assertThat(functionProperty(function, "SnapStart")).as("%s SnapStart", function)
                    .isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
            assertThat(functionProperty(function, "AutoPublishAlias"))
                    .as("%s is invoked through an alias, so the SnapStart version is what runs", function).isNotNull();
        });
    }

    private void assertScopedStatement(String function, Map<String, Object> statement) {
        Predicate<Object> wildcard = value -> value instanceof String text && (text.equals("*") || text.endsWith(":*"));
        assertThat(asList(statement.get("Action"))).as("%s: actions are named, no wildcards", function)
                .noneMatch(wildcard);
        assertThat(asList(statement.get("Resource"))).as("%s: resources are this stack's queues and bucket", function)
                .allMatch(resource -> SCOPED_RESOURCE_TYPES.contains(typeOf(referencedResource(resource))));
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

    private String typeOf(String id) {
        return id == null || !resources.containsKey(id) ? null : (String) resources.get(id).get("Type");
    }

    private List<String> functionIds() {
        return resources.entrySet().stream()
                .filter(entry -> "AWS::Serverless::Function".equals(entry.getValue().get("Type")))
                .map(Map.Entry::getKey).sorted().toList();
    }

    private List<Object> policies(String function) {
        Object policies = functionProperty(function, "Policies");
        return policies == null ? List.of() : asList(policies);
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
