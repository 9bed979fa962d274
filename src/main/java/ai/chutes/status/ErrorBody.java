package ai.chutes.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.util.List;

/**
 * The one error shape, for HTTP errors and for the {@code error} of a failed check inside a body:
 * a stable code from {@link ErrorCode}, one human sentence, and context fields only where they apply.
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String error, String message, List<String> command, Integer exitCode, Double timeoutSeconds) {

    /** The code's own sentence. */
    public static ErrorBody of(ErrorCode code) {
        return of(code, code.sentence());
    }

    /** A sentence of the case's own (never an echo of the client's input). */
    public static ErrorBody of(ErrorCode code, String message) {
        return new ErrorBody(code.code(), message, null, null, null);
    }

    /** A failed command's error: its argv and, where they apply, its exit status or timeout. */
    public static ErrorBody ofCommand(ErrorCode code, String message, List<String> command, Integer exitCode, Double timeoutSeconds) {
        return new ErrorBody(code.code(), message, command, exitCode, timeoutSeconds);
    }

    public ErrorCode code() {
        return ErrorCode.of(error);
    }
}
