package imagine.local.replicate;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import javax.imageio.ImageIO;

/** Loads an input image from an http(s) URL or a data URI, as Replicate accepts both. */
final class ImageFetcher {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
        .followRedirects(HttpClient.Redirect.NORMAL).build();

    BufferedImage fetch(String url) throws IOException, InterruptedException {
        byte[] bytes = url.startsWith("data:") ? dataUri(url) : download(url);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        if (image == null) {
            throw new IOException("the file at the input URL is not an image");
        }
        return image;
    }

    private byte[] download(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("downloading the input image answered HTTP " + response.statusCode());
        }
        return response.body();
    }

    private static byte[] dataUri(String url) throws IOException {
        int comma = url.indexOf(',');
        if (comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
            throw new IOException("only base64 data URIs are supported");
        }
        return Base64.getDecoder().decode(url.substring(comma + 1));
    }
}
