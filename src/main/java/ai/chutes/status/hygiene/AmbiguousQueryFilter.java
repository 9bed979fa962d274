package ai.chutes.status.hygiene;

import ai.chutes.status.ErrorReply;
import ai.chutes.status.ErrorCode;
import ai.chutes.status.ErrorBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpParameters;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Refuses a query that could be read two ways. A parameter given twice ({@code gpu=0&gpu=1}): the agent
 * would use the first, a proxy in front of it might check the last. And more parameters than any
 * endpoint takes: Netty stops decoding after 1024, so a parameter hidden behind a thousand others would
 * be silently dropped. No endpoint takes more than two, so 32 is plenty.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class AmbiguousQueryFilter {

    static final int MAX_PARAMETERS = 32;

    @RequestFilter
    @Nullable
    HttpResponse<ErrorBody> refuseAmbiguousQueries(HttpRequest<?> request) {
        String query = request.getUri().getRawQuery();
        if (query == null || query.isEmpty()) {
            return null;
        }
        int fields = 1;
        for (int i = query.indexOf('&'); i >= 0 && fields <= MAX_PARAMETERS; i = query.indexOf('&', i + 1)) {
            fields++;
        }
        if (fields > MAX_PARAMETERS) {
            return refuse("a request takes at most " + MAX_PARAMETERS + " query parameters");
        }
        HttpParameters parameters = request.getParameters();
        for (String name : parameters.names()) {
            if (parameters.getAll(name).size() > 1) {
                return refuse("a query parameter is given more than once");
            }
        }
        return null;
    }

    private static HttpResponse<ErrorBody> refuse(String message) {
        return ErrorReply.of(ErrorCode.BAD_REQUEST, message);
    }
}
