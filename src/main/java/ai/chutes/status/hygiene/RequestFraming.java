package ai.chutes.status.hygiene;

import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;

/**
 * Decides, on the request line and headers as Netty decoded them, whether a request's framing is one a
 * proxy in front of the agent could read differently (the ground of request smuggling): a request that
 * announces a body ({@code Content-Length} other than 0, or any {@code Transfer-Encoding}, on any
 * method; this API takes none), or an HTTP/1.1 request without exactly one Host header (RFC 9112
 * requires a 400; HTTP/1.0 needs none, and load balancers' health checks send none). The decision is
 * taken here because Micronaut reports the connection's protocol, not the request line's version.
 *
 * <p>A refused request goes on to Micronaut without its body (the request filter answers it 400 with
 * the error body, and the audit handler records it); after it, nothing more is read from the
 * connection, every message already decoded is dropped, and the connection closes once the answer is
 * written. So no byte after a refused request is ever read as a request.
 */
public final class RequestFraming extends ChannelDuplexHandler {

    static final String NAME = "status-request-framing";

    private HttpRequest refused;
    private String reason;

    /** Why the request must be refused, if its connection's framing handler refused it. */
    public static Optional<String> refusal(io.micronaut.http.HttpRequest<?> request) {
        if (request instanceof NettyHttpRequest<?> netty) {
            RequestFraming framing = netty.getChannelHandlerContext().pipeline().get(RequestFraming.class);
            if (framing != null && framing.refused != null && framing.refused == netty.getNativeRequest()) {
                return Optional.of(framing.reason);
            }
        }
        return Optional.empty();
    }

    /** Whether this connection's pipeline decides framing (else the caller checks the headers itself). */
    public static boolean guards(io.micronaut.http.HttpRequest<?> request) {
        return request instanceof NettyHttpRequest<?> netty
                && netty.getChannelHandlerContext().pipeline().get(RequestFraming.class) != null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused != null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()) {
            String why = check(request.protocolVersion(), request.headers());
            if (why != null) {
                refused = request;
                reason = why;
                // Micronaut sees a request without a body; the body's bytes (if any) are never read.
                request.headers().remove(HttpHeaderNames.TRANSFER_ENCODING).remove(HttpHeaderNames.CONTENT_LENGTH);
                ctx.channel().config().setAutoRead(false);
                ctx.fireChannelRead(request);
                if (!(request instanceof LastHttpContent)) {
                    ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
                }
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    static String check(HttpVersion version, HttpHeaders headers) {
        if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)
                || headers.getAll(HttpHeaderNames.CONTENT_LENGTH).stream().anyMatch(length -> !length.trim().equals("0"))) {
            return "this API takes no request body";
        }
        int hosts = headers.getAll(HttpHeaderNames.HOST).size();
        if (hosts > 1 || (hosts == 0 && !version.equals(HttpVersion.HTTP_1_0))) {
            return "an HTTP/1.1 request needs exactly one Host header";
        }
        return null;
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (refused == null) {
            ctx.read();
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (refused != null && msg instanceof LastHttpContent) {
            ctx.write(msg, promise.unvoid()).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.write(msg, promise);
    }
}
