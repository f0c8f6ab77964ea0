package imagine.floor;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The floor with per-user settings: {@link SqsFloorWebhook} plus one S3 client and one GetObject of the user's
 * record ({@code users/<id>.json}), which any webhook that keeps a setting per user pays for.
 */
public final class SettingsFloorWebhook extends SqsFloorWebhook {
    private final S3Client s3;
    private final String bucket = System.getenv("MEDIA_BUCKET");

    public SettingsFloorWebhook() {
        S3ClientBuilder builder = S3Client.builder().httpClient(UrlConnectionHttpClient.create());
        String endpoint = System.getenv("S3_ENDPOINT_URL");
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
        }
        s3 = builder.build();
    }

    @Override
    protected JsonNode settings(long userId) throws IOException {
        try {
            return JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(bucket).key("users/" + userId + ".json"))
                    .asByteArray());
        } catch (NoSuchKeyException e) {
            return JSON.createObjectNode();
        }
    }
}
