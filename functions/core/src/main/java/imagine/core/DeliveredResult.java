package imagine.core;

/**
 * What a result message under buttons was made from, kept in S3 ({@link StorageKeys#result}): the worker
 * writes it before it sends the result, and the webhook reads it when a button under the result is tapped.
 *
 * @param job       the job that made the result: its prompt, model, aspect ratio, photo and owner
 * @param mediaKey  where the output is kept in S3
 * @param mediaType its content type
 * @param seed      the seed the model was given, chosen or derived; null when the model takes none (or the record
 *                  is from before seeds were kept)
 */
public record DeliveredResult(Job job, String mediaKey, String mediaType, Long seed) {

    /** A picture that can be animated: an image, but not a GIF, which moves already. */
    public boolean isStillImage() {
        return mediaType != null && mediaType.startsWith("image/") && !mediaType.equals("image/gif");
    }
}
