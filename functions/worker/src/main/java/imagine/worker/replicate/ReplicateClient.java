package imagine.worker.replicate;

import com.fasterxml.jackson.databind.JsonNode;
import imagine.core.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Replicate's predictions API: create for a model, get, cancel, and download an output; the webhook signing secret. */
public final class ReplicateClient {
    private static final MediaType JSON = MediaType.get("application/json");
    public static final Duration CREATE_TIMEOUT = Duration.ofSeconds(20);

    private final OkHttpClient http;
    private final HttpUrl base;
    private final String token;

    public ReplicateClient(OkHttpClient http, String apiUrl, String token) {
        this.http = http;
        this.base = HttpUrl.get(apiUrl);
        this.token = token;
    }

    /**
     * Creates a prediction of an official model, holding the call up to {@code waitSeconds} for it to
     * finish ({@code Prefer: wait}); 0 returns at once.
     */
    public Prediction create(String owner, String name, Map<String, Object> input, String webhook, int waitSeconds)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("input", input);
        if (webhook != null) {
            body.put("webhook", webhook);
            body.put("webhook_events_filter", new String[] {"completed"});
        }
        HttpUrl url = base.newBuilder().addPathSegments("v1/models").addPathSegment(owner).addPathSegment(name)
                .addPathSegment("predictions").build();
        Request.Builder request = authorized(url).post(RequestBody.create(Json.MAPPER.writeValueAsBytes(body), JSON));
        if (waitSeconds > 0) {
            request.header("Prefer", "wait=" + waitSeconds);
        }
        Call call = http.newCall(request.build());
        // Bounded well below the job's claim timeout, so no other attempt takes the claim while this call runs.
        call.timeout().timeout(CREATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return send("create prediction", call);
    }

    /** The account's most recent predictions, newest first (the first page Replicate gives). */
    public List<Prediction> recent() throws IOException {
        Request request = authorized(base.newBuilder().addPathSegments("v1/predictions").build()).get().build();
        try (Response response = http.newCall(request).execute()) {
            String body = response.body().string();
            if (!response.isSuccessful()) {
                throw new ReplicateException("list predictions", response.code(), detail(body, response.message()),
                        retryAfter(response));
            }
            return Json.MAPPER.readValue(body, Page.class).results();
        }
    }

    private record Page(List<Prediction> results) {
    }

    /** The account's webhook signing secret ({@code whsec_...}), which signs every webhook Replicate sends. */
    public String webhookSigningSecret() throws IOException {
        Request request = authorized(base.newBuilder().addPathSegments("v1/webhooks/default/secret").build()).get().build();
        try (Response response = http.newCall(request).execute()) {
            String body = response.body().string();
            if (!response.isSuccessful()) {
                throw new ReplicateException("get webhook signing secret", response.code(),
                        detail(body, response.message()), retryAfter(response));
            }
            String key = Json.MAPPER.readTree(body).path("key").asText("");
            if (key.isBlank()) {
                throw new ReplicateException("get webhook signing secret", response.code(), "no key in the answer", null);
            }
            return key;
        }
    }

    public Prediction get(String id) throws IOException {
        return send("get prediction", http.newCall(authorized(predictionUrl(id).build()).get().build()));
    }

    public Prediction cancel(String id) throws IOException {
        HttpUrl url = predictionUrl(id).addPathSegment("cancel").build();
        return send("cancel prediction", http.newCall(authorized(url).post(RequestBody.create(new byte[0], JSON)).build()));
    }

    /** Downloads an output file; output URLs need no token. */
    public Download download(String url) throws IOException {
        try (Response response = http.newCall(new Request.Builder().url(url).build()).execute()) {
            if (!response.isSuccessful()) {
                throw new ReplicateException("download output", response.code(), response.message(), null);
            }
            String type = response.header("Content-Type", "application/octet-stream");
            return new Download(response.body().bytes(), type.split(";")[0].trim());
        }
    }

    private HttpUrl.Builder predictionUrl(String id) {
        return base.newBuilder().addPathSegments("v1/predictions").addPathSegment(id);
    }

    private Request.Builder authorized(HttpUrl url) {
        return new Request.Builder().url(url).header("Authorization", "Bearer " + token);
    }

    private Prediction send(String operation, Call call) throws IOException {
        try (Response response = call.execute()) {
            String body = response.body().string();
            if (response.isSuccessful()) {
                return Json.MAPPER.readValue(body, Prediction.class);
            }
            throw new ReplicateException(operation, response.code(), detail(body, response.message()),
                    retryAfter(response));
        }
    }

    private static String detail(String body, String fallback) {
        try {
            JsonNode problem = Json.MAPPER.readTree(body);
            return problem.hasNonNull("detail") ? problem.get("detail").asText() : fallback;
        } catch (IOException e) {
            return fallback;
        }
    }

    private static Integer retryAfter(Response response) {
        String header = response.header("Retry-After");
        try {
            return header == null ? null : (int) Math.ceil(Double.parseDouble(header.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An output file and its media type. */
    public record Download(byte[] bytes, String contentType) {
    }
}
