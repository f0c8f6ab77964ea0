package imagine.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A SAM template as the local platform reads it: parameters, functions, queues and buckets. */
public final class SamTemplate {
    private static final Logger LOG = LoggerFactory.getLogger(SamTemplate.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FINAL_NAME = Pattern.compile("<finalName>([^<]+)</finalName>");

    private final Path directory;
    private final JsonNode root;

    private SamTemplate(Path directory, JsonNode root) {
        this.directory = directory;
        this.root = root;
    }

    public static SamTemplate load(Path file) {
        try {
            Object yaml = CfnYaml.parse(Files.readString(file));
            Path directory = file.toAbsolutePath().normalize().getParent();
            return new SamTemplate(directory, JSON.valueToTree(yaml));
        } catch (IOException | RuntimeException e) {
            throw new TemplateException("Cannot read template " + file + ": " + e.getMessage(), e);
        }
    }

    /** The directory CodeUri paths are relative to. */
    public Path directory() {
        return directory;
    }

    public Map<String, TemplateParameter> parameters() {
        Map<String, TemplateParameter> parameters = new LinkedHashMap<>();
        root.path("Parameters").fields().forEachRemaining(entry -> {
            JsonNode p = entry.getValue();
            JsonNode defaultValue = p.get("Default");
            parameters.put(entry.getKey(), new TemplateParameter(entry.getKey(), p.path("Type").asText("String"),
                    defaultValue == null || defaultValue.isNull() ? null : defaultValue.asText(),
                    p.path("NoEcho").asBoolean(false)));
        });
        return parameters;
    }

    /** Defaults overridden by {@code given}; a given name the template does not declare is an error. */
    public Map<String, String> parameterValues(Map<String, String> given) {
        Map<String, TemplateParameter> declared = parameters();
        given.keySet().stream().filter(name -> !declared.containsKey(name)).findFirst().ifPresent(name -> {
            throw new TemplateException("Parameter " + name + " is not declared in the template");
        });
        Map<String, String> values = new LinkedHashMap<>();
        declared.values().forEach(p -> {
            String value = given.getOrDefault(p.name(), p.defaultValue());
            if (value != null) {
                values.put(p.name(), value);
            }
        });
        return values;
    }

    public Intrinsics intrinsics(Map<String, String> givenParameters, String region, String accountId) {
        Map<String, JsonNode> conditions = new LinkedHashMap<>();
        root.path("Conditions").fields().forEachRemaining(entry -> conditions.put(entry.getKey(), entry.getValue()));
        return new Intrinsics(parameterValues(givenParameters), conditions, region, accountId);
    }

    public List<String> functionIds() {
        return resourceIds("AWS::Serverless::Function");
    }

    /** The HTTP APIs, all served by the one API Gateway stand-in. */
    public List<String> httpApiIds() {
        return resourceIds("AWS::Serverless::HttpApi");
    }

    public List<String> bucketIds() {
        return resourceIds("AWS::S3::Bucket");
    }

    public Map<String, QueueSpec> queues(Intrinsics values) {
        Map<String, QueueSpec> queues = new LinkedHashMap<>();
        for (String id : resourceIds("AWS::SQS::Queue")) {
            JsonNode p = properties(id);
            String where = id + ".Properties";
            JsonNode redrive = p.get("RedrivePolicy");
            QueueSpec.Redrive policy = redrive == null ? null : new QueueSpec.Redrive(
                    arnTarget(redrive.get("deadLetterTargetArn"), where + ".RedrivePolicy.deadLetterTargetArn"),
                    values.resolveInt(redrive.get("maxReceiveCount"), where + ".RedrivePolicy.maxReceiveCount"));
            queues.put(id, new QueueSpec(id,
                    p.has("QueueName") ? values.resolve(p.get("QueueName"), where + ".QueueName") : id,
                    optionalInt(p, "VisibilityTimeout", values, where),
                    optionalInt(p, "MessageRetentionPeriod", values, where),
                    policy));
        }
        return queues;
    }

    /** Every function; resolving their environments needs the queues and buckets already in {@code values}. */
    public Map<String, FunctionSpec> functions(Intrinsics values) {
        Map<String, FunctionSpec> functions = new LinkedHashMap<>();
        functionIds().forEach(id -> functions.put(id, function(id, values)));
        return functions;
    }

    public FunctionSpec function(String id, Intrinsics values) {
        if (!functionIds().contains(id)) {
            throw new TemplateException("No function " + id + " in the template (functions: " + functionIds() + ")");
        }
        JsonNode p = merged(id);
        String where = id + ".Properties";
        Map<String, String> environment = new LinkedHashMap<>();
        p.path("Environment").path("Variables").fields().forEachRemaining(entry -> environment.put(
                entry.getKey(), values.resolve(entry.getValue(), where + ".Environment.Variables." + entry.getKey())));
        List<HttpRoute> routes = new ArrayList<>();
        List<SqsSubscription> sqsEvents = new ArrayList<>();
        p.path("Events").fields().forEachRemaining(entry -> {
            String name = entry.getKey();
            String type = entry.getValue().path("Type").asText();
            JsonNode e = entry.getValue().path("Properties");
            String at = where + ".Events." + name + ".Properties";
            if (type.equals("HttpApi")) {
                routes.add(new HttpRoute(name,
                        e.has("Method") ? values.resolve(e.get("Method"), at + ".Method").toUpperCase() : "ANY",
                        values.resolve(e.get("Path"), at + ".Path")));
            } else if (type.equals("SQS")) {
                JsonNode scaling = e.path("ScalingConfig").get("MaximumConcurrency");
                boolean partial = false;
                for (JsonNode t : e.path("FunctionResponseTypes")) {
                    partial |= t.asText().equals("ReportBatchItemFailures");
                }
                sqsEvents.add(new SqsSubscription(name,
                        arnTarget(e.get("Queue"), at + ".Queue"),
                        e.has("BatchSize") ? values.resolveInt(e.get("BatchSize"), at + ".BatchSize") : 10,
                        e.has("MaximumBatchingWindowInSeconds") ? values.resolveInt(
                                e.get("MaximumBatchingWindowInSeconds"), at + ".MaximumBatchingWindowInSeconds") : 0,
                        partial,
                        scaling == null ? null : values.resolveInt(scaling, at + ".ScalingConfig.MaximumConcurrency")));
            } else {
                LOG.warn("{}: event type {} is not run by the local platform", at, type);
            }
        });
        return new FunctionSpec(id,
                jar(directory.resolve(values.resolve(p.get("CodeUri"), where + ".CodeUri")).normalize(), where),
                values.resolve(p.get("Handler"), where + ".Handler"),
                p.has("MemorySize") ? values.resolveInt(p.get("MemorySize"), where + ".MemorySize") : 128,
                p.has("Timeout") ? values.resolveInt(p.get("Timeout"), where + ".Timeout") : 3,
                environment, routes, sqsEvents);
    }

    /**
     * A CodeUri is the function's jar, or the Maven module whose shaded jar it runs ({@code target/<finalName>.jar},
     * what {@code mvn package} builds and the Makefile unpacks for {@code sam build}).
     */
    private static Path jar(Path codeUri, String where) {
        if (!Files.isDirectory(codeUri)) {
            return codeUri;
        }
        Path pom = codeUri.resolve("pom.xml");
        try {
            Matcher finalName = FINAL_NAME.matcher(Files.readString(pom));
            if (finalName.find()) {
                return codeUri.resolve("target").resolve(finalName.group(1).trim() + ".jar");
            }
        } catch (IOException e) {
            throw new TemplateException(where + ".CodeUri: " + codeUri + " is neither a jar nor a Maven module", e);
        }
        throw new TemplateException(where + ".CodeUri: " + pom + " names no <finalName> for its jar");
    }

    /** The function's properties over Globals.Function; environment variables are merged one by one. */
    private JsonNode merged(String id) {
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        JsonNode globals = root.path("Globals").path("Function");
        if (globals.isObject()) {
            merged.setAll((ObjectNode) globals.deepCopy());
        }
        ObjectNode variables = JsonNodeFactory.instance.objectNode();
        if (globals.path("Environment").path("Variables").isObject()) {
            variables.setAll((ObjectNode) globals.path("Environment").path("Variables"));
        }
        JsonNode own = properties(id);
        if (own.path("Environment").path("Variables").isObject()) {
            variables.setAll((ObjectNode) own.path("Environment").path("Variables"));
        }
        if (own.isObject()) {
            merged.setAll((ObjectNode) own.deepCopy());
        }
        merged.putObject("Environment").set("Variables", variables);
        return merged;
    }

    private static Integer optionalInt(JsonNode properties, String name, Intrinsics values, String where) {
        return properties.has(name) ? values.resolveInt(properties.get(name), where + "." + name) : null;
    }

    /** The logical id behind {@code !GetAtt Queue.Arn}. */
    private String arnTarget(JsonNode value, String where) {
        JsonNode getAtt = value == null ? null : value.get("Fn::GetAtt");
        if (getAtt == null || getAtt.size() != 2 || !getAtt.get(1).asText().equals("Arn")) {
            throw new TemplateException(where + ": expected !GetAtt <Resource>.Arn, found " + value);
        }
        String target = getAtt.get(0).asText();
        if (!root.path("Resources").has(target)) {
            throw new TemplateException(where + ": no resource " + target + " in the template");
        }
        return target;
    }

    private List<String> resourceIds(String type) {
        List<String> ids = new ArrayList<>();
        root.path("Resources").fields().forEachRemaining(entry -> {
            if (entry.getValue().path("Type").asText().equals(type)) {
                ids.add(entry.getKey());
            }
        });
        return ids;
    }

    private JsonNode properties(String id) {
        return root.path("Resources").path(id).path("Properties");
    }
}
