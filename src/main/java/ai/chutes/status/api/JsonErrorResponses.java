package ai.chutes.status.api;

import ai.chutes.status.ErrorCode;
import ai.chutes.status.ErrorBody;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * Errors that Micronaut answers by itself (request line too long, malformed request, ...) leave in the
 * contract's error shape too, with a generic sentence and never the framework's message or a path.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
final class JsonErrorResponses implements ErrorResponseProcessor<ErrorBody> {

    @Override
    public MutableHttpResponse<ErrorBody> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        ErrorBody body = switch (status) {
            case NOT_FOUND -> ErrorBody.of(ErrorCode.NOT_FOUND);
            case METHOD_NOT_ALLOWED -> ErrorBody.of(ErrorCode.METHOD_NOT_ALLOWED);
            case REQUEST_ENTITY_TOO_LARGE, REQUEST_URI_TOO_LONG, REQUEST_HEADER_FIELDS_TOO_LARGE ->
                    ErrorBody.of(ErrorCode.REQUEST_TOO_LARGE);
            default -> status.getCode() < 500
                    ? ErrorBody.of(ErrorCode.BAD_REQUEST)
                    : ErrorBody.of(ErrorCode.INTERNAL);
        };
        return response.body(body);
    }
}
