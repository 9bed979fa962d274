package ai.chutes.status.push;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The default {@code agent_id}: the kernel's hostname, else the machine id, read without any DNS lookup;
 * and the {@code instance} that tells one agent process start from another (and from a clone using the
 * same id).
 */
public final class AgentIdentity {

    public static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<Path> SOURCES = List.of(
            Path.of("/proc/sys/kernel/hostname"), Path.of("/etc/hostname"), Path.of("/etc/machine-id"));

    private AgentIdentity() {
    }

    /** 128 random bits as 32 hex digits, drawn once per agent process start. */
    public static String newInstance() {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        return HexFormat.of().formatHex(bits);
    }

    public static String defaultId() {
        for (Path source : SOURCES) {
            try {
                String value = Files.readString(source).trim();
                if (VALID.matcher(value).matches()) {
                    return value;
                }
            } catch (IOException | SecurityException e) {
                // try the next source
            }
        }
        return "unknown-agent";
    }
}
