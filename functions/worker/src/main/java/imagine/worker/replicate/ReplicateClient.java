package imagine.worker.replicate;

import com.fasterxml.jackson.databind.JsonNode;
import imagine.core.Json;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Replicate's predictions API: create for a model, get, list, cancel, and download an output; the webhook signing secret. */
public final class ReplicateClient {
    private static final MediaType JSON = MediaType.get("application/json");
    /** Bounds a create call, so the job's lease outlasts it. */
    public static final Duration CREATE_TIMEOUT = Duration.ofSeconds(20);
    /** How far back an orphan is looked for at most: the list pages hold 100 predictions each. */
    private static final int MAX_LIST_PAGES = 20;

    private final OkHttpClient http;
    private final HttpUrl base;
    private final String token;

    public ReplicateClient(OkHttpClient http, String apiUrl, String token) {
        this.http = http;
        this.base = HttpUrl.get(apiUrl);
        this.token = token;
    }

    /**
     * What a create call asks for besides the input.
     *
     * @param webhook     where Replicate posts the finished prediction; null to poll it
     * @param waitSeconds how long the call may wait for the prediction to finish ({@code Prefer: wait}); 0 not at all
     * @param deadline    after this Replicate cancels the prediction itself ({@code Cancel-After})
     */
    public record CreateOptions(String webhook, int waitSeconds, Duration deadline) {
    }

    /** Creates a prediction of an official model. */
    public Prediction create(String owner, String name, Map<String, Object> input, CreateOptions options)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("input", input);
        if (options.webhook() != null) {
            body.put("webhook", options.webhook());
            body.put("webhook_events_filter", new String[] {"completed"});
        }
        HttpUrl url = base.newBuilder().addPathSegments("v1/models").addPathSegment(owner).addPathSegment(name)
                .addPathSegment("predictions").build();
        Request.Builder request = authorized(url).post(RequestBody.create(Json.MAPPER.writeValueAsBytes(body), JSON));
        if (options.waitSeconds() > 0) {
            request.header("Prefer", "wait=" + options.waitSeconds());
        }
        if (options.deadline() != null) {
            request.header("Cancel-After", duration(options.deadline()));
        }
        Call call = http.newCall(request.build());
        call.timeout().timeout(CREATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return send("create prediction", call);
    }

    /**
     * The account's predictions created at or after {@code since}, newest first, following the list's pages
     * (100 a page) back to that time.
     */
    public List<Prediction> createdSince(Instant since) throws IOException {
        List<Prediction> found = new ArrayList<>();
        HttpUrl page = base.newBuilder().addPathSegments("v1/predictions")
                .addQueryParameter("created_after", since.toString()).build();
        for (int pages = 0; page != null && pages < MAX_LIST_PAGES; pages++) {
            Page listed = list(page);
            boolean olderReached = false;
            for (Prediction prediction : listed.results()) {
                if (prediction.created() != null && prediction.created().isBefore(since)) {
                    olderReached = true;
                } else {
                    found.add(prediction);
                }
            }
            page = olderReached || listed.next() == null ? null : HttpUrl.get(listed.next());
        }
        return found;
    }

    private record Page(List<Prediction> results, String next) {
        Page {
            results = results == null ? List.of() : results;
        }
    }

    private Page list(HttpUrl url) throws IOException {
        try (Response response = http.newCall(authorized(url).get().build()).execute()) {
            String body = response.body().string();
            if (!response.isSuccessful()) {
                throw new ReplicateException("list predictions", response.code(), detail(body, response.message()),
                        retryAfter(response));
            }
            return Json.MAPPER.readValue(body, Page.class);
        }
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

    /**
     * An output file: fetched from its URL (which needs no token), or decoded when Replicate gave it inline as a
     * {@code data:} URI.
     */
    public Download download(String url) throws IOException {
        if (url.startsWith("data:")) {
            return decode(url);
        }
        try (Response response = http.newCall(new Request.Builder().url(url).build()).execute()) {
            if (!response.isSuccessful()) {
                throw new ReplicateException("download output", response.code(), response.message(), null);
            }
            String type = response.header("Content-Type", "application/octet-stream");
            return new Download(response.body().bytes(), type.split(";")[0].trim());
        }
    }

    /** {@code data:<type>[;base64],<data>} (RFC 2397). */
    private static Download decode(String uri) throws IOException {
        int comma = uri.indexOf(',');
        if (comma < 0) {
            throw new IOException("an output data URI without data");
        }
        String meta = uri.substring("data:".length(), comma);
        String data = uri.substring(comma + 1);
        boolean base64 = meta.endsWith(";base64");
        String type = (base64 ? meta.substring(0, meta.length() - ";base64".length()) : meta).split(";")[0].trim();
        try {
            byte[] bytes = base64 ? Base64.getDecoder().decode(data)
                    : URLDecoder.decode(data, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
            return new Download(bytes, type.isEmpty() ? "text/plain" : type);
        } catch (IllegalArgumentException e) {
            throw new IOException("an output data URI that is not base64");
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

    /** As Replicate's examples write durations: whole minutes as {@code 10m}, anything else in seconds. */
    static String duration(Duration duration) {
        long seconds = Math.max(1, duration.toSeconds());
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
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
