package ai.chutes.status.hygiene;

import ai.chutes.status.ErrorReply;
import ai.chutes.status.ErrorCode;
import ai.chutes.status.ErrorBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Netty splits query strings on ';' as well as '&', so {@code gpu=0;id} would quietly read as
 * {@code gpu=0}. No parameter of this API contains ';', so such a request is refused outright.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class QuerySeparatorFilter {

    @RequestFilter
    @Nullable
    HttpResponse<ErrorBody> refuseSemicolons(HttpRequest<?> request) {
        String query = request.getUri().getRawQuery();
        if (query != null && query.indexOf(';') >= 0) {
            return ErrorReply.of(ErrorCode.BAD_REQUEST, "query parameters are separated by '&' only");
        }
        return null;
    }
}
