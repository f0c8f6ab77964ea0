package imagine.benchmark.profile;

import java.util.List;

/**
 * What a cold start spends its time on, told from a stack sample. The first phase whose frames the stack holds
 * wins, so a credentials lookup made inside the first S3 request counts as the lookup, not as the request.
 */
public enum Phase {
    CREDENTIALS("credentials lookup", "software.amazon.awssdk.auth.credentials.",
            "software.amazon.awssdk.identity.spi.", "software.amazon.awssdk.profiles."),
    REGION("region lookup", "software.amazon.awssdk.regions.providers."),
    // Only the builders: a request made through one of the clients' default methods (S3Client.getObjectAsBytes,
    // SqsClient.sendMessageBatch) is a request, counted below by who made it.
    S3_CLIENT("S3 client creation", "software.amazon.awssdk.services.s3.DefaultS3ClientBuilder",
            "software.amazon.awssdk.services.s3.DefaultS3BaseClientBuilder", "software.amazon.awssdk.services.s3.S3Client.builder",
            "software.amazon.awssdk.services.s3.S3Client.create"),
    SQS_CLIENT("SQS client creation", "software.amazon.awssdk.services.sqs.DefaultSqsClientBuilder",
            "software.amazon.awssdk.services.sqs.DefaultSqsBaseClientBuilder",
            "software.amazon.awssdk.services.sqs.SqsClient.builder", "software.amazon.awssdk.services.sqs.SqsClient.create"),
    // Creation only: the url-connection client's requests run in its inner RequestCallable.
    HTTP_CLIENTS("other HTTP clients' creation", "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create",
            "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder",
            "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.<init>",
            "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient$DefaultBuilder.",
            "jdk.internal.net.http.HttpClientImpl.<init>", "okhttp3.OkHttpClient.<init>"),
    EVENT_LIBRARY("the event library (Lambda's serialization of the event and response)",
            "com.amazonaws.services.lambda.runtime.serialization.", "com.amazonaws.lambda.thirdparty.",
            "com.amazonaws.services.lambda.runtime.events."),
    QUOTA("the quota's read and write", "imagine.core.usage.UsageLedger.take"),
    SETTINGS_READ("the settings read", "imagine.webhook.S3UserState.settings", "imagine.floor.SettingsFloorWebhook.settings"),
    OTHER_S3("other S3 requests", "software.amazon.awssdk.services.s3.DefaultS3Client.",
            "software.amazon.awssdk.services.s3.S3Client."),
    SQS_SEND("SQS send", "software.amazon.awssdk.services.sqs.DefaultSqsClient.",
            "software.amazon.awssdk.services.sqs.SqsClient.", "imagine.core.SqsJobQueue.enqueue"),
    JACKSON("Jackson (the function's JSON)", "com.fasterxml.jackson."),
    FUNCTION("the function's own code", "imagine."),
    RUNTIME_CLIENT("Lambda's runtime client", "com.amazonaws.services.lambda.runtime.api.client."),
    OTHER("other (JDK)");

    private final String label;
    private final List<String> frames;

    Phase(String label, String... frames) {
        this.label = label;
        this.frames = List.of(frames);
    }

    public String label() {
        return label;
    }

    /** The phase of one sample: the first whose frames appear anywhere in the stack. */
    public static Phase of(StackTraceElement[] stack) {
        for (Phase phase : values()) {
            for (StackTraceElement frame : stack) {
                String name = frame.getClassName() + "." + frame.getMethodName();
                for (String prefix : phase.frames) {
                    if (name.startsWith(prefix)) {
                        return phase;
                    }
                }
            }
        }
        return OTHER;
    }
}
