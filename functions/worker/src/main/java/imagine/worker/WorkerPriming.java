package imagine.worker;

import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.Model;
import imagine.core.Priming;
import imagine.core.S3Documents.Versioned;
import imagine.core.S3Documents;
import imagine.core.StorageKeys;
import imagine.core.telegram.User;
import imagine.worker.telegram.TelegramClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The worker's hot path for the SnapStart snapshot, with no effect anyone can see: a job read from its message,
 * its caption and model input made; then each client's request path once, with requests that change nothing: an
 * S3 read of a job record that does not exist, a conditional S3 write that cannot match, Telegram's getMe.
 */
final class WorkerPriming {
    private WorkerPriming() {
    }

    static void register(Components components) {
        Priming.register(() -> {
            prime(components.catalog(), components.records(), components.telegram());
            if (components.queue() instanceof SqsWorkQueue sqs) {
                quietly(sqs::warmUp);
            }
        }, () -> components.http().connectionPool().evictAll());
    }

    static void prime(Catalog catalog, S3Documents<JobRecord> records, TelegramClient telegram) {
        Job job;
        try (InputStream body = WorkerPriming.class.getResourceAsStream("priming-job.json")) {
            job = Json.MAPPER.readValue(body, Job.class);
            Model model = catalog.get(job.model());
            Delivery.caption(job, model);
            Json.MAPPER.writeValueAsBytes(model.input(job.prompt(), job.aspectRatio(), ModelInputs.seed(job)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JobRecord record = JobRecord.claimed("priming", "priming", 0, 0, job);
        String key = StorageKeys.job(job.jobId());
        quietly(() -> records.read(key));
        quietly(() -> records.replace(key, new Versioned<>(record, "\"priming\""), record));
        quietly(() -> telegram.call("getMe", Map.of(), User.class));
    }

    private interface Request {
        void send() throws IOException;
    }

    /** A failed request has still run most of its path; where the snapshot is taken without network, all fail. */
    private static void quietly(Request request) {
        try {
            request.send();
        } catch (IOException | RuntimeException expected) {
            // See above.
        }
    }
}
