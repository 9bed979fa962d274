package ai.chutes.status.hygiene;

import static ai.chutes.status.settings.TypedProperties.invalid;

import ai.chutes.status.settings.TypedProperties;
import java.time.Duration;

/**
 * How long a connection may take over one request and its answer, validated at start-up.
 *
 * @param requestReadTimeout a request must arrive whole within this time of its first byte
 *                           ({@code status.request-read-timeout})
 * @param answerWriteTimeout an answer must be taken by the client whole within this time of its first
 *                           byte, or the connection closes ({@code status.answer-write-timeout})
 */
public record HygieneSettings(Duration requestReadTimeout, Duration answerWriteTimeout) {

    /** Both keys: 100ms to 10m, 10s by default. */
    public static HygieneSettings read(TypedProperties properties) {
        return new HygieneSettings(timeout(properties, "status.request-read-timeout"),
                timeout(properties, "status.answer-write-timeout"));
    }

    private static Duration timeout(TypedProperties properties, String key) {
        Duration timeout = properties.duration(key, Duration.ofSeconds(10));
        if (timeout.compareTo(Duration.ofMillis(100)) < 0 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw invalid(key + " must be between 100ms and 10m, got " + timeout);
        }
        return timeout;
    }
}
