package ai.chutes.status.hygiene;

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
        return properties.between(key, Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofMinutes(10));
    }
}
