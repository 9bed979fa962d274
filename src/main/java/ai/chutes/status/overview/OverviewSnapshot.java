package ai.chutes.status.overview;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * One overview as every reader sees it: the record (for push and metrics) and its JSON, serialized
 * once. {@code takenAtNanos} is when its refresh started, so its age covers the commands' run time.
 */
public record OverviewSnapshot(Overview overview, byte[] json, long takenAtNanos) {

    public Duration age(long nowNanos) {
        return Duration.ofNanos(Math.max(0, nowNanos - takenAtNanos));
    }

    /**
     * The serialized overview with {@code "age_seconds"} added as its last member: a copy of the bytes
     * and a few characters, not a second serialization.
     */
    public byte[] jsonWithAge(long nowNanos) {
        byte[] suffix = String.format(Locale.ROOT, ",\"age_seconds\":%.3f}", age(nowNanos).toNanos() / 1e9)
                .getBytes(StandardCharsets.US_ASCII);
        int body = json.length - 1; // the serialized object ends with its closing brace
        byte[] out = Arrays.copyOf(json, body + suffix.length);
        System.arraycopy(suffix, 0, out, body, suffix.length);
        return out;
    }
}
