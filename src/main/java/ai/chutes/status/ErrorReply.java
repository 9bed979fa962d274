package ai.chutes.status;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;

/** The one place an error becomes an HTTP answer: the status comes from its {@link ErrorCode}. */
public final class ErrorReply {

    private ErrorReply() {
    }

    /** A reader's answer: its value with 200, or its error alone with the error's status. */
    public static MutableHttpResponse<?> answer(Checked<?> checked) {
        return checked.error() == null ? HttpResponse.ok(checked.value()) : of(checked.error());
    }

    public static MutableHttpResponse<ErrorBody> of(ErrorBody body) {
        MutableHttpResponse<ErrorBody> response = HttpResponse.<ErrorBody>status(HttpStatus.valueOf(body.code().httpStatus())).body(body);
        if (body.code() == ErrorCode.BUSY) {
            response.header("Retry-After", "1");
        }
        return response;
    }

    public static MutableHttpResponse<ErrorBody> of(ErrorCode code) {
        return of(ErrorBody.of(code));
    }

    public static MutableHttpResponse<ErrorBody> of(ErrorCode code, String message) {
        return of(ErrorBody.of(code, message));
    }
}
