package ai.chutes.status.api;

import ai.chutes.status.ErrorBody;
import ai.chutes.status.ErrorCode;
import ai.chutes.status.ErrorReply;
import ai.chutes.status.command.RunnerBusyException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error leaves the agent as the contract's JSON error body: no stack trace, no stderr, no host
 * path, and no echo of the client's input. Readers return their errors as values; what reaches here is
 * a refused request, the runner's full queue, or a bug of ours.
 */
@Controller
final class ErrorResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    @Error(global = true, status = HttpStatus.NOT_FOUND)
    HttpResponse<ErrorBody> notFound() {
        return ErrorReply.of(ErrorCode.NOT_FOUND);
    }

    @Error(global = true, status = HttpStatus.METHOD_NOT_ALLOWED)
    HttpResponse<ErrorBody> methodNotAllowed() {
        return ErrorReply.of(ErrorCode.METHOD_NOT_ALLOWED).header("Allow", "GET");
    }

    @Error(global = true, exception = UnknownServiceException.class)
    HttpResponse<ErrorBody> unknownService() {
        return ErrorReply.of(ErrorCode.UNKNOWN_SERVICE);
    }

    @Error(global = true, exception = BadRequestException.class)
    HttpResponse<ErrorBody> badRequest(BadRequestException e) {
        return ErrorReply.of(ErrorCode.BAD_REQUEST, e.getMessage());
    }

    @Error(global = true, exception = Exception.class)
    HttpResponse<ErrorBody> unexpected(HttpRequest<?> request, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof RunnerBusyException) {
            return ErrorReply.of(ErrorCode.BUSY);
        }
        LOG.error("unexpected error answering {} {}", request.getMethodName(), request.getPath(), cause);
        return ErrorReply.of(ErrorCode.INTERNAL);
    }
}
