package ai.chutes.status.hygiene;

import ai.chutes.status.ErrorReply;
import ai.chutes.status.ErrorCode;
import ai.chutes.status.ErrorBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Optional;

/**
 * Answers 400 to requests whose framing a proxy in front of the agent could read differently, the
 * ground of request smuggling: those the connection's {@link RequestFraming} handler refused (a body
 * announced on any method, an HTTP/1.1 request without exactly one Host header; decided at the Netty
 * level, where the request line's version is known), and a method name in other case than the
 * standard one (method names are case-sensitive, but Micronaut would serve {@code get} as GET). Each
 * refusal also closes the connection, so nothing after it on the wire is read as a request.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class RequestFramingFilter {

    @RequestFilter
    @Nullable
    HttpResponse<ErrorBody> refuseAmbiguousFraming(HttpRequest<?> request) {
        HttpHeaders headers = request.getHeaders();
        if (!request.getMethodName().equals(request.getMethod().name())) {
            return refuse("method names are case-sensitive");
        }
        Optional<String> refusal = RequestFraming.refusal(request);
        if (refusal.isPresent()) {
            return refuse(refusal.get());
        }
        // Defence in depth where no framing handler sits on the connection (it decides on every HTTP/1.x one).
        if (!RequestFraming.guards(request) && (headers.contains(HttpHeaders.TRANSFER_ENCODING) || hasBody(headers))) {
            return refuse("this API takes no request body");
        }
        return null;
    }

    private static boolean hasBody(HttpHeaders headers) {
        return headers.getAll(HttpHeaders.CONTENT_LENGTH).stream().anyMatch(length -> !length.trim().equals("0"));
    }

    private static HttpResponse<ErrorBody> refuse(String message) {
        return ErrorReply.of(ErrorCode.BAD_REQUEST, message).header(HttpHeaders.CONNECTION, "close");
    }
}
