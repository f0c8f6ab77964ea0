package imagine.worker;

import static org.assertj.core.api.Assertions.assertThat;

import imagine.core.Catalog;
import imagine.core.S3Documents;
import imagine.worker.telegram.TelegramClient;
import java.io.IOException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SnapStart priming runs each client's request path and leaves no trace: nothing stored, nothing sent. */
class WorkerPrimingTest {
    private final MockWebServer telegram = new MockWebServer();
    private final S3Stub s3 = new S3Stub();

    @BeforeEach
    void start() throws IOException {
        telegram.start();
    }

    @AfterEach
    void stop() {
        telegram.close();
        s3.close();
    }

    @Test
    void primingReadsButWritesNothingAndSendsNothing() throws Exception {
        telegram.enqueue(new MockResponse.Builder()
                .body("{\"ok\":true,\"result\":{\"id\":1000000001,\"is_bot\":true,\"first_name\":\"Imagine\"}}").build());

        WorkerPriming.prime(Catalog.load(), new S3Documents<>(s3.client(), S3Stub.BUCKET, JobRecord.class),
                new TelegramClient(new OkHttpClient(), telegram.url("/").toString(), "0000:test-token"));

        assertThat(s3.client().listObjectsV2(b -> b.bucket(S3Stub.BUCKET)).contents()).isEmpty();
        assertThat(telegram.getRequestCount()).isEqualTo(1);
        RecordedRequest request = telegram.takeRequest();
        assertThat(request.getUrl().encodedPath()).isEqualTo("/bot0000:test-token/getMe");
    }

    @Test
    void primingWithoutNetworkStillFinishes() {
        telegram.close();

        WorkerPriming.prime(Catalog.load(), new S3Documents<>(s3.client(), S3Stub.BUCKET, JobRecord.class),
                new TelegramClient(new OkHttpClient(), "http://127.0.0.1:9/", "0000:test-token"));

        assertThat(s3.client().listObjectsV2(b -> b.bucket(S3Stub.BUCKET)).contents()).isEmpty();
    }
}
