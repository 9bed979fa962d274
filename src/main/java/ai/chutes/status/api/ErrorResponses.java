package ai.chutes.status.api;

import ai.chutes.status.CheckFailedException;
import ai.chutes.status.ErrorBody;
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
 * path, and no echo of the client's input.
 */
@Controller
final class ErrorResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    @Error(global = true, status = HttpStatus.NOT_FOUND)
    HttpResponse<ErrorBody> notFound() {
        return HttpResponse.<ErrorBody>notFound().body(ErrorBody.of("not_found", "no such endpoint"));
    }

    @Error(global = true, status = HttpStatus.METHOD_NOT_ALLOWED)
    HttpResponse<ErrorBody> methodNotAllowed() {
        return HttpResponse.<ErrorBody>status(HttpStatus.METHOD_NOT_ALLOWED)
                .header("Allow", "GET")
                .body(ErrorBody.of("method_not_allowed", "this endpoint only answers GET"));
    }

    @Error(global = true, exception = UnknownServiceException.class)
    HttpResponse<ErrorBody> unknownService(UnknownServiceException e) {
        return HttpResponse.<ErrorBody>notFound().body(ErrorBody.of("unknown_service", e.getMessage()));
    }

    @Error(global = true, exception = BadRequestException.class)
    HttpResponse<ErrorBody> badRequest(BadRequestException e) {
        return HttpResponse.<ErrorBody>badRequest().body(ErrorBody.of("bad_request", e.getMessage()));
    }

    @Error(global = true, exception = CheckFailedException.class)
    HttpResponse<ErrorBody> checkFailed(CheckFailedException e) {
        return HttpResponse.<ErrorBody>status(ErrorStatus.of(e.body())).body(e.body());
    }

    @Error(global = true, exception = CompletionException.class)
    HttpResponse<ErrorBody> completion(HttpRequest<?> request, CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof CheckFailedException failed) {
            return checkFailed(failed);
        }
        return unexpected(request, cause == null ? e : cause);
    }

    @Error(global = true, exception = RunnerBusyException.class)
    HttpResponse<ErrorBody> busy(RunnerBusyException e) {
        return HttpResponse.<ErrorBody>status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1")
                .body(ErrorBody.of("busy", "too many commands are waiting to run; retry shortly"));
    }

    @Error(global = true, exception = Exception.class)
    HttpResponse<ErrorBody> unexpected(HttpRequest<?> request, Throwable e) {
        if (e instanceof RunnerBusyException busy) {
            return busy(busy);
        }
        LOG.error("unexpected error answering {} {}", request.getMethodName(), request.getPath(), e);
        return HttpResponse.<ErrorBody>serverError().body(ErrorBody.of("internal_error", "the agent could not answer this request"));
    }
}
