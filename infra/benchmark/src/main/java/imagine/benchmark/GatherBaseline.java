package imagine.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The origin document's fix: one process gathering tasks. Every image is a task on an executor in this JVM that
 * runs the prediction on the same local model and sends the picture to the same local Telegram. Its threads, and
 * those of its own HTTP client, carry {@link ThreadCpu#BASELINE} as their context class loader, so their CPU time is
 * told apart from the stand-ins'.
 */
final class GatherBaseline {
    private static final String MODEL = "ideogram-ai/ideogram-v3-turbo";

    private final String replicateUrl;
    private final String replicateToken;
    private final String telegramUrl;
    private final String telegramToken;

    /** @param workerEnvironment the worker's variables: where the model and Telegram are, and their tokens */
    GatherBaseline(Map<String, String> workerEnvironment) {
        this.replicateUrl = workerEnvironment.get("REPLICATE_API_URL");
        this.replicateToken = workerEnvironment.get("REPLICATE_API_TOKEN");
        this.telegramUrl = workerEnvironment.get("TELEGRAM_API_URL");
        this.telegramToken = workerEnvironment.get("TELEGRAM_BOT_TOKEN");
    }

    /**
     * @param makespanNanos       from submitting every task to the last image accepted by Telegram
     * @param lastPredictionNanos from submitting every task to the last prediction received
     * @param cpuNanos            CPU time this JVM used over the makespan
     */
    record Result(long makespanNanos, long lastPredictionNanos, int delivered, long cpuNanos) {
    }

    Result run(Workload workload) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(workload.images(), GatherBaseline::thread);
        ExecutorService httpThreads = Executors.newCachedThreadPool(GatherBaseline::thread);
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        // The client's selector thread is started by build() and takes this thread's context class loader.
        current.setContextClassLoader(ThreadCpu.BASELINE);
        HttpClient http;
        try {
            http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(httpThreads)
                    .connectTimeout(Duration.ofSeconds(10)).build();
        } finally {
            current.setContextClassLoader(previous);
        }
        try {
            long start = System.nanoTime();
            long cpuStart = ProcessCpu.nanos();
            AtomicLong lastPrediction = new AtomicLong(start);
            List<Future<Long>> tasks = new ArrayList<>();
            for (long user : workload.userIds()) {
                for (int p = 0; p < workload.promptsPerUser(); p++) {
                    String prompt = "baseline picture " + p + " for user " + user;
                    tasks.add(executor.submit(() -> {
                        String output = predict(http, prompt);
                        lastPrediction.accumulateAndGet(System.nanoTime(), Math::max);
                        byte[] image = fetch(http, output);
                        sendPhoto(http, user, image, prompt);
                        return System.nanoTime();
                    }));
                }
            }
            long last = start;
            int delivered = 0;
            for (Future<Long> task : tasks) {
                last = Math.max(last, task.get());
                delivered++;
            }
            return new Result(last - start, lastPrediction.get() - start, delivered, ProcessCpu.nanos() - cpuStart);
        } finally {
            executor.shutdownNow();
            httpThreads.shutdownNow();
        }
    }

    private static Thread thread(Runnable task) {
        Thread thread = new Thread(task, "baseline");
        thread.setDaemon(true);
        thread.setContextClassLoader(ThreadCpu.BASELINE);
        return thread;
    }

    private String predict(HttpClient http, String prompt) throws IOException, InterruptedException {
        String body = Updates.JSON.writeValueAsString(Map.of("input", Map.of("prompt", prompt, "aspect_ratio", "1:1")));
        JsonNode prediction = Updates.JSON.readTree(send(http, HttpRequest.newBuilder(
                        Http.join(replicateUrl, "/v1/models/" + MODEL + "/predictions"))
                .timeout(Duration.ofSeconds(90))
                .header("Authorization", "Bearer " + replicateToken)
                .header("Content-Type", "application/json")
                .header("Prefer", "wait")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build()).body());
        while (!prediction.path("status").asText().equals("succeeded")) {
            String status = prediction.path("status").asText();
            if (status.equals("failed") || status.equals("canceled")) {
                throw new IOException("prediction " + status);
            }
            Thread.sleep(250);
            prediction = Updates.JSON.readTree(send(http, HttpRequest.newBuilder(
                            URI.create(prediction.at("/urls/get").asText()))
                    .header("Authorization", "Bearer " + replicateToken).GET().build()).body());
        }
        JsonNode output = prediction.get("output");
        return output.isArray() ? output.get(0).asText() : output.asText();
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request)
            throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] fetch(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("output download answered " + response.statusCode());
        }
        return response.body();
    }

    private void sendPhoto(HttpClient http, long chatId, byte[] image, String caption) throws IOException, InterruptedException {
        String boundary = UUID.randomUUID().toString();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        field(body, boundary, "chat_id", Long.toString(chatId));
        field(body, boundary, "caption", caption);
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"image.png\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(image);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = send(http, HttpRequest.newBuilder(
                        Http.join(telegramUrl, "/bot" + telegramToken + "/sendPhoto"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
        if (response.statusCode() != 200) {
            throw new IOException("sendPhoto answered " + response.statusCode());
        }
    }

    private static void field(ByteArrayOutputStream body, String boundary, String name, String value) throws IOException {
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
}
