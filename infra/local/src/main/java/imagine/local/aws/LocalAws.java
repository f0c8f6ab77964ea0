package imagine.local.aws;

/** The region, account and credentials every local stand-in and every function share. */
public record LocalAws(String region, String accountId, String accessKeyId, String secretAccessKey) {

    public static LocalAws defaults() {
        return new LocalAws("us-east-1", "000000000000", "local", "local-secret");
    }

    /** The AWS SDK's default providers read these JVM-wide properties, in functions as well as here. */
    public void applyToSystemProperties() {
        System.setProperty("aws.region", region);
        System.setProperty("aws.accessKeyId", accessKeyId);
        System.setProperty("aws.secretAccessKey", secretAccessKey);
    }
}
