package testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;

/** Bodies: ok:ID, fail-once:ID, throw:ID, gate:ID:GATE. */
public class Jobs implements RequestHandler<SQSEvent, SQSBatchResponse> {
    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            String[] parts = message.getBody().split(":");
            String id = parts[1];
            String count = message.getAttributes().get("ApproximateReceiveCount");
            switch (parts[0]) {
                case "ok":
                    Record.line("done " + id + " " + count + " " + message.getEventSource() + " "
                            + message.getEventSourceArn() + " " + message.getAwsRegion() + " "
                            + (message.getMd5OfBody() != null) + " " + message.getAttributes().containsKey("SentTimestamp")
                            + " " + message.getMessageAttributes().keySet());
                    break;
                case "fail-once":
                    if (count.equals("1")) {
                        Record.line("failed " + id + " " + count);
                        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                    } else {
                        Record.line("done " + id + " " + count);
                    }
                    break;
                case "throw":
                    Record.line("threw " + id + " " + count);
                    throw new IllegalStateException("job " + id + " failed");
                case "gate":
                    Record.line("started " + id);
                    try {
                        Record.awaitGate(parts[2]);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    Record.line("done " + id);
                    break;
                default:
                    throw new IllegalArgumentException(message.getBody());
            }
        }
        return new SQSBatchResponse(failures);
    }
}
