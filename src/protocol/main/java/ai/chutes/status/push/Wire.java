package ai.chutes.status.push;

import java.util.List;

/**
 * The push wire's fixed terms (CONTRACT.md "Push"): one {@code {"type":…,"payload":…}} object per
 * line, at most 1 MiB with its newline, and the message types each side sends.
 */
public final class Wire {

    public static final int MAX_LINE_BYTES = 1024 * 1024;

    /** Guest to host. */
    public static final List<String> AGENT_TYPES = List.of("lifecycle", "overview", "pong", "ack");
    /** Host to guest. */
    public static final List<String> HOST_TYPES = List.of("ping", "get_overview");

    private Wire() {
    }

    /** A host request as it goes on the wire; {@code type} must be one of {@link #HOST_TYPES}. */
    public static String hostRequest(String type) {
        if (!HOST_TYPES.contains(type)) {
            throw new IllegalArgumentException("a host request is ping or get_overview");
        }
        return "{\"type\":\"" + type + "\",\"payload\":{}}\n";
    }
}
