package ai.chutes.status.command;

import java.time.Duration;

/**
 * What one run of a command produced. {@code exitCode} is null when the process never ran to an exit
 * (timeout, missing binary).
 */
public record CommandResult(
        CommandRequest request,
        Outcome outcome,
        Integer exitCode,
        CapturedStream stdout,
        CapturedStream stderr,
        Duration duration,
        Duration timeout) {

    public boolean ok() {
        return outcome == Outcome.OK;
    }
}
