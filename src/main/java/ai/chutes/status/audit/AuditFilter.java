package ai.chutes.status.audit;

import ai.chutes.status.authentication.Caller;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.server.netty.NettyHttpRequest;

/**
 * The first filter of every request, before the access filter: joins the request to its audit record
 * (so the audit line can read the access filter's verdict, and the command trail can add the commands
 * asked for), and leaves the caller the audit handler identified on the request for the access filter.
 * It decides nothing and answers nothing.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class AuditFilter implements Ordered {

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @RequestFilter
    void attach(HttpRequest<?> request) {
        if (request instanceof NettyHttpRequest<?> netty) {
            AuditHandler handler = netty.getChannelHandlerContext().pipeline().get(AuditHandler.class);
            if (handler != null) {
                handler.recordFor(netty.getNativeRequest()).ifPresent(record -> {
                    record.attach(request);
                    request.setAttribute(AuditRecord.ATTRIBUTE, record);
                    request.setAttribute(Caller.ATTRIBUTE, record.caller());
                });
            }
        }
    }
}
