package ai.chutes.status.command;

import static ai.chutes.status.settings.TypedProperties.absolute;
import static ai.chutes.status.settings.TypedProperties.invalid;

import ai.chutes.status.settings.TypedProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** Limits and binaries for the command runner ({@code status.commands.*}, timeouts, output and cache limits). */
public record RunnerSettings(
        Map<Program, Path> binaries,
        Duration commandTimeout,
        int maxOutputBytes,
        Duration cacheTtl,
        int maxConcurrentCommands) {

    private static final Map<Program, String> DEFAULT_BINARIES = Map.of(
            Program.SYSTEMCTL, "/usr/bin/systemctl",
            Program.JOURNALCTL, "/usr/bin/journalctl",
            Program.NVIDIA_SMI, "/usr/bin/nvidia-smi");

    public RunnerSettings {
        binaries = Map.copyOf(binaries);
    }

    public Path binary(Program program) {
        return binaries.get(program);
    }

    /** The runner's keys, with the documented defaults (docs/configuration.md); anything unsafe is refused with the key named. */
    public static RunnerSettings read(TypedProperties properties) {
        Map<Program, Path> binaries = new EnumMap<>(Program.class);
        for (Program program : Program.values()) {
            String key = "status.commands." + program.displayName();
            binaries.put(program, absolute(key, properties.string(key, DEFAULT_BINARIES.get(program))));
        }
        Duration timeout = properties.duration("status.command-timeout", Duration.ofSeconds(10));
        if (timeout.isZero() || timeout.isNegative()) {
            throw invalid("status.command-timeout must be positive, got " + timeout);
        }
        int maxOutput = properties.integer("status.max-output-bytes", 16 * 1024);
        if (maxOutput < 1024 || maxOutput > 16 * 1024 * 1024) {
            throw invalid("status.max-output-bytes must be between 1024 and 16777216, got " + maxOutput);
        }
        Duration ttl = properties.duration("status.cache-ttl", Duration.ofSeconds(2));
        if (ttl.isNegative()) {
            throw invalid("status.cache-ttl must not be negative, got " + ttl);
        }
        // 12: an overview runs 4 commands at once (one systemctl for every unit, the nvidia-smi summary, the
        // GPU query and the kernel journal), leaving slots for the single-unit endpoints and a metrics
        // collection beside it.
        int concurrency = properties.integer("status.max-concurrent-commands", 12);
        if (concurrency < 1 || concurrency > 64) {
            throw invalid("status.max-concurrent-commands must be between 1 and 64, got " + concurrency);
        }
        return new RunnerSettings(binaries, timeout, maxOutput, ttl, concurrency);
    }
}
