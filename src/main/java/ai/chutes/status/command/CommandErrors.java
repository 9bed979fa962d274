package ai.chutes.status.command;

import ai.chutes.status.ErrorBody;
import java.util.Optional;

/** Turns a failed run into the contract's error body, without stderr or host paths. */
public final class CommandErrors {

    public static final String TIMEOUT = "timeout";
    public static final String MISSING_BINARY = "missing_binary";
    public static final String COMMAND_FAILED = "command_failed";
    public static final String BUSY = "busy";

    private CommandErrors() {
    }

    public static final String INTERNAL = "internal_error";

    /** The error for a run that produced no result: the runner's queue was full, or a bug of ours. */
    public static ErrorBody notRun(CommandRequest request, Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof RunnerBusyException) {
            return new ErrorBody(BUSY, "too many commands are waiting to run; retry shortly", request.displayArgv(), null, null);
        }
        org.slf4j.LoggerFactory.getLogger(CommandErrors.class).error("check of {} failed", request.displayArgv(), cause);
        return new ErrorBody(INTERNAL, "the agent could not complete this check", request.displayArgv(), null, null);
    }

    public static Optional<ErrorBody> describe(CommandResult result) {
        CommandRequest request = result.request();
        String program = request.program().displayName();
        return switch (result.outcome()) {
            case OK -> Optional.empty();
            case TIMEOUT -> Optional.of(new ErrorBody(TIMEOUT,
                    program + " did not finish within its timeout and was stopped",
                    request.displayArgv(), null, result.timeout().toMillis() / 1000.0));
            case MISSING_BINARY -> Optional.of(new ErrorBody(MISSING_BINARY,
                    program + " is not installed or not executable on this host",
                    request.displayArgv(), null, null));
            case EXIT_NONZERO -> Optional.of(new ErrorBody(COMMAND_FAILED,
                    program + " exited with status " + result.exitCode(),
                    request.displayArgv(), result.exitCode(), null));
        };
    }
}
