package ai.chutes.status.authentication;

import ai.chutes.status.ErrorReply;
import ai.chutes.status.ErrorCode;
import ai.chutes.status.ErrorBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.channel.Channel;
import java.util.OptionalLong;

/**
 * The first filter of every request to decide: asks the {@link AccessPolicy} whether the caller may
 * ask, then the {@link RateLimiter} whether it may ask now. Refusals carry the contract's error body
 * and never say why a credential failed. Takes the {@link Caller} left on the request when one was
 * identified already, and leaves its {@link Verdict} there (the audit line reads it).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class AccessFilter implements Ordered {

    private final Callers callers;
    private final AccessPolicy policy;
    private final RateLimiter rateLimiter;

    AccessFilter(Callers callers, AccessPolicy policy, RateLimiter rateLimiter) {
        this.callers = callers;
        this.policy = policy;
        this.rateLimiter = rateLimiter;
    }

    /** Right after the filters that only note who asked (the audit), before any that could answer. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }

    @RequestFilter
    @Nullable
    HttpResponse<ErrorBody> check(HttpRequest<?> request) {
        Caller caller = request.getAttribute(Caller.ATTRIBUTE, Caller.class).orElseGet(() -> identify(request));
        Verdict verdict = caller == null ? Verdict.FORBIDDEN : policy.decide(caller, request.getPath());
        if (verdict == Verdict.ALLOWED) {
            OptionalLong retryAfter = rateLimiter.retryAfterSeconds(caller);
            if (retryAfter.isPresent()) {
                verdict = Verdict.RATE_LIMITED;
                request.setAttribute(Verdict.ATTRIBUTE, verdict);
                return ErrorReply.of(ErrorCode.RATE_LIMITED)
                        .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter.getAsLong()));
            }
        }
        request.setAttribute(Verdict.ATTRIBUTE, verdict);
        return switch (verdict) {
            case UNAUTHORIZED -> ErrorReply.of(ErrorCode.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            case FORBIDDEN -> ErrorReply.of(ErrorCode.FORBIDDEN);
            default -> null;
        };
    }

    /** When no caller was left on the request (no audit handler on the connection): from the request itself. */
    private Caller identify(HttpRequest<?> request) {
        if (request instanceof NettyHttpRequest<?> netty) {
            Channel channel = netty.getChannelHandlerContext().channel();
            return callers.identify(Connection.of(channel), request.getHeaders().getAll(HttpHeaders.AUTHORIZATION));
        }
        return null; // not a request from a socket of ours: refused
    }
}
