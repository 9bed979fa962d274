package ai.chutes.status.command;

import java.util.ArrayList;
import java.util.List;

/**
 * A typed request to run one of the allowed programs. Instances come only from {@link Commands}, so
 * every argv the agent can build is listed in one place; it is also the key for coalescing and caching.
 * {@code minStdoutBytes} raises the stdout cap for the few fixed argvs whose whole answer is known to be
 * larger than the per-stream default (the full GPU query, the field list, the kernel journal).
 */
public record CommandRequest(Program program, List<String> arguments, OutputKeep stdoutKeep, int minStdoutBytes) {

    public CommandRequest {
        arguments = List.copyOf(arguments);
    }

    /** A request whose stdout is capped at {@code status.max-output-bytes}. */
    public CommandRequest(Program program, List<String> arguments, OutputKeep stdoutKeep) {
        this(program, arguments, stdoutKeep, 0);
    }

    /** The argv as clients see it: program name, not the configured host path. */
    public List<String> displayArgv() {
        List<String> argv = new ArrayList<>(arguments.size() + 1);
        argv.add(program.displayName());
        argv.addAll(arguments);
        return List.copyOf(argv);
    }
}
