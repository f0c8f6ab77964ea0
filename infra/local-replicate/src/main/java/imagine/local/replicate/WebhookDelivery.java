package imagine.local.replicate;

/**
 * One webhook post and how the receiver answered it.
 *
 * @param status the HTTP status, or -1 when the request failed
 */
public record WebhookDelivery(String predictionId, String webhookId, String event, int attempt, int status) {
}
