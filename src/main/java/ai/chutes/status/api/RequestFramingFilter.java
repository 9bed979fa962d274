package ai.chutes.status.api;

import ai.chutes.status.ErrorBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpVersion;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Refuses requests whose framing a proxy in front of the agent could read differently, the ground of
 * request smuggling: a GET with a body (this API takes none; Content-Length or Transfer-Encoding on a
 * GET is how a second request hides inside a first), an HTTP/1.1 request without exactly one Host
 * header (RFC 9112 requires a 400), and a method name in other case than the standard one (method
 * names are case-sensitive, but Micronaut would serve {@code get} as GET). Each refusal also closes the
 * connection, so nothing after it on the wire is read as a request.
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
        if (request.getHttpVersion() == HttpVersion.HTTP_1_1 && headers.getAll(HttpHeaders.HOST).size() != 1) {
            return refuse("an HTTP/1.1 request needs exactly one Host header");
        }
        boolean readOnly = request.getMethod() == HttpMethod.GET || request.getMethod() == HttpMethod.HEAD;
        if (readOnly && (headers.contains(HttpHeaders.TRANSFER_ENCODING) || hasBody(headers))) {
            return refuse("this API takes no request body");
        }
        return null;
    }

    private static boolean hasBody(HttpHeaders headers) {
        return headers.getAll(HttpHeaders.CONTENT_LENGTH).stream().anyMatch(length -> !length.trim().equals("0"));
    }

    private static HttpResponse<ErrorBody> refuse(String message) {
        return HttpResponse.<ErrorBody>badRequest().header(HttpHeaders.CONNECTION, "close")
                .body(ErrorBody.of("bad_request", message));
    }
}
