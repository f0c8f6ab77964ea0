package imagine.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves template values (Ref, Fn::Sub, Fn::GetAtt, Fn::Join, Fn::If and the template's Conditions) against
 * parameter values, the local queues and buckets, attributes of other resources the platform stands in for (an
 * API's endpoint, a custom resource's answer), and the pseudo parameters. Immutable: {@code with...} returns a copy.
 */
public final class Intrinsics {
    /** What {@code AWS::StackName} stands for on the local platform. */
    public static final String LOCAL_STACK_NAME = "local";
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final Map<String, String> parameters;
    private final Map<String, JsonNode> conditions;
    private final Map<String, QueueAddress> queues;
    private final Map<String, String> buckets;
    private final Map<String, String> attributes;
    private final String region;
    private final String accountId;

    /** {@code parameters} holds every declared parameter that has a value (default or given). */
    public Intrinsics(Map<String, String> parameters, String region, String accountId) {
        this(parameters, Map.of(), region, accountId);
    }

    /** {@code conditions} are the template's Conditions, by name. */
    public Intrinsics(Map<String, String> parameters, Map<String, JsonNode> conditions, String region,
            String accountId) {
        this(Map.copyOf(parameters), Map.copyOf(conditions), Map.of(), Map.of(), Map.of(), region, accountId);
    }

    private Intrinsics(Map<String, String> parameters, Map<String, JsonNode> conditions,
            Map<String, QueueAddress> queues, Map<String, String> buckets, Map<String, String> attributes,
            String region, String accountId) {
        this.parameters = parameters;
        this.conditions = conditions;
        this.queues = queues;
        this.buckets = buckets;
        this.attributes = attributes;
        this.region = region;
        this.accountId = accountId;
    }

    public Intrinsics withQueue(String logicalId, QueueAddress address) {
        Map<String, QueueAddress> copy = new HashMap<>(queues);
        copy.put(logicalId, address);
        return new Intrinsics(parameters, conditions, Map.copyOf(copy), buckets, attributes, region, accountId);
    }

    public Intrinsics withBucket(String logicalId, String bucketName) {
        Map<String, String> copy = new HashMap<>(buckets);
        copy.put(logicalId, bucketName);
        return new Intrinsics(parameters, conditions, queues, Map.copyOf(copy), attributes, region, accountId);
    }

    /** What {@code !GetAtt Resource.Attribute} resolves to, for a resource that is neither a queue nor a bucket. */
    public Intrinsics withAttribute(String resource, String attribute, String value) {
        Map<String, String> copy = new HashMap<>(attributes);
        copy.put(resource + "." + attribute, value);
        return new Intrinsics(parameters, conditions, queues, buckets, Map.copyOf(copy), region, accountId);
    }

    public String region() {
        return region;
    }

    public String accountId() {
        return accountId;
    }

    /** The value as text; {@code where} names the place in the template for error messages. */
    public String resolve(JsonNode value, String where) {
        if (value == null || value.isNull()) {
            throw new TemplateException(where + " has no value");
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        if (value.isObject() && value.size() == 1) {
            String function = value.fieldNames().next();
            JsonNode argument = value.get(function);
            switch (function) {
                case "Ref":
                    return ref(argument.asText(), where);
                case "Fn::GetAtt":
                    return getAtt(argument, where);
                case "Fn::Sub":
                    return sub(argument, where);
                case "Fn::Join":
                    return join(argument, where);
                case "Fn::If":
                    return choose(argument, where);
                default:
                    throw new TemplateException(where + ": " + function + " is not supported by the local platform");
            }
        }
        throw new TemplateException(where + ": expected a single value, found " + value);
    }

    public int resolveInt(JsonNode value, String where) {
        String text = resolve(value, where);
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new TemplateException(where + ": expected a number, found '" + text + "'");
        }
    }

    private String ref(String name, String where) {
        switch (name) {
            case "AWS::Region":
                return region;
            case "AWS::AccountId":
                return accountId;
            case "AWS::Partition":
                return "aws";
            case "AWS::URLSuffix":
                return "amazonaws.com";
            case "AWS::StackName":
                return LOCAL_STACK_NAME;
            default:
                break;
        }
        if (parameters.containsKey(name)) {
            return parameters.get(name);
        }
        if (queues.containsKey(name)) {
            return queues.get(name).url();
        }
        if (buckets.containsKey(name)) {
            return buckets.get(name);
        }
        throw new TemplateException(where + ": cannot resolve Ref " + name
                + " (not a parameter with a value, nor a queue or bucket of the local platform)");
    }

    private String getAtt(JsonNode argument, String where) {
        if (!argument.isArray() || argument.size() != 2) {
            throw new TemplateException(where + ": Fn::GetAtt expects [resource, attribute], found " + argument);
        }
        return attribute(argument.get(0).asText(), argument.get(1).asText(), where);
    }

    private String attribute(String resource, String attribute, String where) {
        QueueAddress queue = queues.get(resource);
        if (queue != null) {
            switch (attribute) {
                case "Arn":
                    return queue.arn();
                case "QueueName":
                    return queue.name();
                case "QueueUrl":
                    return queue.url();
                default:
                    break;
            }
        }
        String bucket = buckets.get(resource);
        if (bucket != null && attribute.equals("Arn")) {
            return "arn:aws:s3:::" + bucket;
        }
        String value = attributes.get(resource + "." + attribute);
        if (value != null) {
            return value;
        }
        throw new TemplateException(where + ": cannot resolve Fn::GetAtt " + resource + "." + attribute);
    }

    private String sub(JsonNode argument, String where) {
        String text;
        Map<String, String> variables = new HashMap<>();
        if (argument.isArray()) {
            text = argument.get(0).asText();
            argument.get(1).fields().forEachRemaining(
                    entry -> variables.put(entry.getKey(), resolve(entry.getValue(), where + "." + entry.getKey())));
        } else {
            text = argument.asText();
        }
        Matcher matcher = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1).trim();
            String value;
            if (variables.containsKey(name)) {
                value = variables.get(name);
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                int dot = name.indexOf('.');
                value = attribute(name.substring(0, dot), name.substring(dot + 1), where);
            } else {
                value = ref(name, where);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        // ${!Literal} stands for the text ${Literal}.
        return out.toString().replace("${!", "${");
    }

    /** Whether the named condition of the template holds. */
    public boolean condition(String name, String where) {
        JsonNode definition = conditions.get(name);
        if (definition == null) {
            throw new TemplateException(where + ": no condition " + name + " in the template");
        }
        return holds(definition, where + " (condition " + name + ")");
    }

    /** Fn::If evaluates only the branch its condition picks, as CloudFormation does. */
    private String choose(JsonNode argument, String where) {
        if (!argument.isArray() || argument.size() != 3) {
            throw new TemplateException(where + ": Fn::If expects [condition, then, else], found " + argument);
        }
        return resolve(argument.get(condition(argument.get(0).asText(), where) ? 1 : 2), where);
    }

    private boolean holds(JsonNode expression, String where) {
        if (expression.isObject() && expression.size() == 1) {
            String function = expression.fieldNames().next();
            JsonNode argument = expression.get(function);
            switch (function) {
                case "Condition":
                    return condition(argument.asText(), where);
                case "Fn::Equals":
                    if (argument.isArray() && argument.size() == 2) {
                        return resolve(argument.get(0), where).equals(resolve(argument.get(1), where));
                    }
                    break;
                case "Fn::Not":
                    if (argument.isArray() && argument.size() == 1) {
                        return !holds(argument.get(0), where);
                    }
                    break;
                case "Fn::And":
                    for (JsonNode part : argument) {
                        if (!holds(part, where)) {
                            return false;
                        }
                    }
                    return true;
                case "Fn::Or":
                    for (JsonNode part : argument) {
                        if (holds(part, where)) {
                            return true;
                        }
                    }
                    return false;
                default:
                    break;
            }
        }
        throw new TemplateException(where + ": not a condition the local platform evaluates: " + expression);
    }

    private String join(JsonNode argument, String where) {
        if (!argument.isArray() || argument.size() != 2 || !argument.get(1).isArray()) {
            throw new TemplateException(where + ": Fn::Join expects [delimiter, [values]], found " + argument);
        }
        StringBuilder out = new StringBuilder();
        JsonNode values = argument.get(1);
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(argument.get(0).asText());
            }
            out.append(resolve(values.get(i), where + "[" + i + "]"));
        }
        return out.toString();
    }
}
