package ai.chutes.status.command;

import java.nio.charset.StandardCharsets;

/** The kept bytes of one output stream and whether anything was cut off. */
public record CapturedStream(byte[] bytes, boolean truncated, long totalBytes) {

    public static final CapturedStream EMPTY = new CapturedStream(new byte[0], false, 0);

    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
