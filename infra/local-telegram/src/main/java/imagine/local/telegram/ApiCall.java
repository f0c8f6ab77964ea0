package imagine.local.telegram;

import java.time.Instant;

/** One Bot API call received, with how it was answered (errorCode 0 when ok). */
public record ApiCall(String method, Long chatId, Instant time, boolean ok, int errorCode, String description) {
}
