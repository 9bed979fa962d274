package ai.chutes.status.config;

import ai.chutes.status.command.Program;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Limits and binaries for the command runner. */
public record RunnerSettings(
        Map<Program, Path> binaries,
        Duration commandTimeout,
        int maxOutputBytes,
        Duration cacheTtl,
        int maxConcurrentCommands) {

    public RunnerSettings {
        binaries = Map.copyOf(binaries);
    }

    public Path binary(Program program) {
        return binaries.get(program);
    }
}
