package imagine.local.sqs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** Builds the SQS event Lambda's event source mapping gives a function. */
final class SqsEvents {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SYSTEM_ATTRIBUTES = Set.of("ApproximateReceiveCount", "SentTimestamp",
            "SenderId", "ApproximateFirstReceiveTimestamp", "SequenceNumber", "MessageGroupId",
            "MessageDeduplicationId", "AWSTraceHeader");

    private SqsEvents() {
    }

    static String event(List<Message> messages, String queueArn, String region) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message m : messages) {
            ObjectNode record = records.addObject();
            record.put("messageId", m.messageId());
            record.put("receiptHandle", m.receiptHandle());
            record.put("body", m.body());
            ObjectNode attributes = record.putObject("attributes");
            m.attributesAsStrings().forEach((name, value) -> {
                if (SYSTEM_ATTRIBUTES.contains(name)) {
                    attributes.put(name, value);
                }
            });
            ObjectNode messageAttributes = record.putObject("messageAttributes");
            m.messageAttributes().forEach((name, value) -> messageAttributes.set(name, attribute(value)));
            record.put("md5OfBody", m.md5OfBody());
            if (m.md5OfMessageAttributes() != null) {
                record.put("md5OfMessageAttributes", m.md5OfMessageAttributes());
            }
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", queueArn);
            record.put("awsRegion", region);
        }
        return event.toString();
    }

    private static ObjectNode attribute(MessageAttributeValue value) {
        ObjectNode node = JSON.createObjectNode();
        if (value.stringValue() != null) {
            node.put("stringValue", value.stringValue());
        }
        if (value.binaryValue() != null) {
            node.put("binaryValue", Base64.getEncoder().encodeToString(value.binaryValue().asByteArray()));
        }
        ArrayNode strings = node.putArray("stringListValues");
        value.stringListValues().forEach(strings::add);
        ArrayNode binaries = node.putArray("binaryListValues");
        value.binaryListValues().forEach(b -> binaries.add(Base64.getEncoder().encodeToString(b.asByteArray())));
        node.put("dataType", value.dataType());
        return node;
    }
}
