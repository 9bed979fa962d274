package ai.chutes.status.audit;

import ai.chutes.status.authentication.Caller;
import ai.chutes.status.authentication.Callers;
import ai.chutes.status.authentication.Connection;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * One per connection, between Netty's HTTP codec and Micronaut: sees every request as it arrives
 * (including the ones Micronaut answers before any filter, such as an over-long request line) and every
 * byte of every answer. It identifies the caller when the request's headers arrive, keeps the requests
 * in flight in order (HTTP/1.1 answers in order, even when pipelined), and writes the audit line once
 * the answer's last byte is written. The connection's facts (peer credentials, certificate) are read
 * once, at its first request.
 *
 * <p>Only touched on the connection's event loop, so it needs no locks.
 */
final class AuditHandler extends ChannelDuplexHandler {

    static final String NAME = "status-audit";

    private final Callers callers;
    private final AuditLog log;
    private final Deque<AuditRecord> inFlight = new ArrayDeque<>(2);
    private Connection connection;

    AuditHandler(Callers callers, AuditLog log) {
        this.callers = callers;
        this.log = log;
    }

    /** The record of a request on this connection, by the identity of Netty's request object. */
    Optional<AuditRecord> recordFor(Object nettyRequest) {
        for (AuditRecord record : inFlight) {
            if (record.isFor(nettyRequest)) {
                return Optional.of(record);
            }
        }
        return Optional.empty();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest request) {
            if (connection == null) {
                connection = Connection.of(ctx.channel());
            }
            Caller caller = callers.identify(connection, request.headers().getAll(HttpHeaderNames.AUTHORIZATION));
            // A request the decoder could not read has a placeholder URI; say so instead of logging it.
            String target = request.decoderResult().isSuccess() ? request.uri() : "(malformed request)";
            inFlight.addLast(new AuditRecord(request, request.method().name(), target, caller));
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        AuditRecord current = inFlight.peekFirst();
        if (current != null) {
            if (msg instanceof HttpResponse response) {
                if (response.status().equals(HttpResponseStatus.CONTINUE)) {
                    ctx.write(msg, promise);
                    return;
                }
                current.status(response.status().code());
            }
            if (msg instanceof HttpContent content) {
                current.addBytes(content.content().readableBytes());
            }
            if (msg instanceof LastHttpContent) {
                inFlight.pollFirst();
                ctx.write(msg, promise.unvoid()).addListener(written -> log.write(current));
                return;
            }
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        // Requests that never got an answer (the client went away, or the agent closed the connection)
        for (AuditRecord record = inFlight.pollFirst(); record != null; record = inFlight.pollFirst()) {
            log.write(record);
        }
        ctx.fireChannelInactive();
    }
}
