package imagine.local.aws;

import imagine.local.template.QueueAddress;
import imagine.local.template.QueueSpec;
import imagine.local.template.TemplateException;
import java.net.URI;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.scaladsl.Http;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.Await;
import scala.concurrent.duration.FiniteDuration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** An embedded SQS-compatible server (ElasticMQ) on 127.0.0.1; queues live in memory. */
public final class LocalSqs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalSqs.class);

    /**
     * How long a request in flight at close may still take: a long poll holds its connection for up to 20 s, and
     * stopping the server waits for every connection.
     */
    private static final FiniteDuration CLOSE_GRACE = FiniteDuration.create(1, TimeUnit.SECONDS);
    private static final FiniteDuration CLOSE_LIMIT = FiniteDuration.create(10, TimeUnit.SECONDS);

    private final SQSRestServer server;
    private final Http.ServerBinding binding;
    private final URI endpoint;
    private final LocalAws aws;

    private LocalSqs(SQSRestServer server, Http.ServerBinding binding, URI endpoint, LocalAws aws) {
        this.server = server;
        this.binding = binding;
        this.endpoint = endpoint;
        this.aws = aws;
    }

    /** {@code port} 0 picks a free one. */
    public static LocalSqs start(int port, LocalAws aws) {
        var builder = SQSRestServerBuilder.withInterface("127.0.0.1")
                .withAWSRegion(aws.region())
                .withAWSAccountId(aws.accountId());
        SQSRestServer server = (port == 0 ? builder.withDynamicPort() : builder.withPort(port)).start();
        Http.ServerBinding binding = server.waitUntilStarted();
        URI endpoint = URI.create("http://127.0.0.1:" + binding.localAddress().getPort());
        LOG.info("SQS at {}", endpoint);
        return new LocalSqs(server, binding, endpoint, aws);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Creates the queues, each dead-letter queue before the queues that redrive to it. */
    public Map<String, QueueAddress> createQueues(Collection<QueueSpec> queues) {
        Map<String, QueueSpec> byId = new HashMap<>();
        queues.forEach(q -> byId.put(q.logicalId(), q));
        Map<String, QueueAddress> created = new LinkedHashMap<>();
        try (SqsClient sqs = aws.sqs(endpoint)) {
            for (QueueSpec queue : queues) {
                create(queue, byId, created, sqs, 0);
            }
        }
        return created;
    }

    private void create(QueueSpec queue, Map<String, QueueSpec> byId, Map<String, QueueAddress> created,
            SqsClient sqs, int depth) {
        if (created.containsKey(queue.logicalId())) {
            return;
        }
        if (depth > byId.size()) {
            throw new TemplateException("Queue " + queue.logicalId() + " is part of a redrive cycle");
        }
        Map<QueueAttributeName, String> attributes = new HashMap<>();
        if (queue.visibilityTimeout() != null) {
            attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, queue.visibilityTimeout().toString());
        }
        if (queue.messageRetentionPeriod() != null) {
            attributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, queue.messageRetentionPeriod().toString());
        }
        if (queue.redrive() != null) {
            QueueSpec target = byId.get(queue.redrive().deadLetterQueueId());
            if (target == null) {
                throw new TemplateException("Queue " + queue.logicalId() + " redrives to "
                        + queue.redrive().deadLetterQueueId() + ", which is not a queue");
            }
            create(target, byId, created, sqs, depth + 1);
            attributes.put(QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\""
                    + created.get(target.logicalId()).arn() + "\",\"maxReceiveCount\":\""
                    + queue.redrive().maxReceiveCount() + "\"}");
        }
        String url = sqs.createQueue(b -> b.queueName(queue.queueName()).attributes(attributes)).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        created.put(queue.logicalId(), new QueueAddress(url, arn, queue.queueName()));
        LOG.info("queue {} at {}", queue.logicalId(), url);
    }

    @Override
    public void close() {
        try {
            Await.result(binding.terminate(CLOSE_GRACE), CLOSE_LIMIT);
        } catch (Exception e) {
            LOG.warn("SQS connections not closed within {}: {}", CLOSE_LIMIT, e.toString());
        }
        server.stopAndWait();
    }
}
