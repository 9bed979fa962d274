package ai.chutes.status.push;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** The default {@code agent_id}: the kernel's hostname, else the machine id, read without any DNS lookup. */
public final class AgentIdentity {

    public static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final List<Path> SOURCES = List.of(
            Path.of("/proc/sys/kernel/hostname"), Path.of("/etc/hostname"), Path.of("/etc/machine-id"));

    private AgentIdentity() {
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
