package ai.chutes.status.command;

import ai.chutes.status.ErrorBody;
import ai.chutes.status.ErrorCode;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a failed run into the contract's error body, without stderr or host paths. */
public final class CommandErrors {

    private static final Logger LOG = LoggerFactory.getLogger(CommandErrors.class);

    private CommandErrors() {
    }

    /** The error for a run that produced no result: the runner's queue was full, or a bug of ours. */
    public static ErrorBody notRun(CommandRequest request, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof RunnerBusyException) {
            return ErrorBody.ofCommand(ErrorCode.BUSY, ErrorCode.BUSY.sentence(), request.displayArgv(), null, null);
        }
        LOG.error("check of {} failed", request.displayArgv(), cause);
        return ErrorBody.ofCommand(ErrorCode.INTERNAL, "the agent could not complete this check", request.displayArgv(), null, null);
    }

    public static Optional<ErrorBody> describe(CommandResult result) {
        CommandRequest request = result.request();
        String program = request.program().displayName();
        return switch (result.outcome()) {
            case OK -> Optional.empty();
            case TIMEOUT -> Optional.of(ErrorBody.ofCommand(ErrorCode.TIMEOUT,
                    program + " did not finish within its timeout and was stopped",
                    request.displayArgv(), null, result.timeout().toMillis() / 1000.0));
            case MISSING_BINARY -> Optional.of(ErrorBody.ofCommand(ErrorCode.MISSING_BINARY,
                    program + " is not installed or not executable on this host",
                    request.displayArgv(), null, null));
            case EXIT_NONZERO -> Optional.of(ErrorBody.ofCommand(ErrorCode.COMMAND_FAILED,
                    program + " exited with status " + result.exitCode(),
                    request.displayArgv(), result.exitCode(), null));
        };
    }
}
