package ai.chutes.status.api;

import ai.chutes.status.ErrorBody;
import ai.chutes.status.command.CommandErrors;
import io.micronaut.http.HttpStatus;

/** The HTTP status for each error code of a failed command. */
final class ErrorStatus {

    private ErrorStatus() {
    }

    static HttpStatus of(ErrorBody body) {
        return switch (body.error()) {
            case CommandErrors.TIMEOUT -> HttpStatus.GATEWAY_TIMEOUT;
            case CommandErrors.MISSING_BINARY, CommandErrors.BUSY -> HttpStatus.SERVICE_UNAVAILABLE;
            case CommandErrors.COMMAND_FAILED -> HttpStatus.BAD_GATEWAY;
            default -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }
}
