package ai.chutes.status.hygiene;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A request must arrive whole (request line, headers and body) within {@code status.request-read-timeout}
 * of its first byte, or of the connection opening; otherwise the connection is closed. Netty's idle
 * timeouts only notice silence, and a slowloris client is never silent: it trickles a byte every few
 * seconds to hold a connection open for ever. Waiting between requests on a kept-alive connection is
 * not limited here (Micronaut's idle timeout is).
 *
 * <p>Two handlers share one deadline: {@link #bytes()} before the HTTP codec arms it when bytes start a
 * request, {@link #requests()} after the codec disarms it when the request's last part is decoded.
 */
final class RequestDeadline {

    static final String BYTES = "status-request-deadline-bytes";
    static final String REQUESTS = "status-request-deadline";

    private final long timeoutNanos;
    private ScheduledFuture<?> timer;

    RequestDeadline(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    ChannelInboundHandlerAdapter bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                if (ctx.channel().isActive()) {
                    arm(ctx);
                }
            }

            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                arm(ctx);
                ctx.fireChannelActive();
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof ByteBuf buffer && buffer.isReadable()) {
                    arm(ctx);
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                disarm();
                ctx.fireChannelInactive();
            }
        };
    }

    ChannelInboundHandlerAdapter requests() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof LastHttpContent) {
                    disarm();
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    /** Starts the clock unless it already runs for the request in progress. */
    private void arm(ChannelHandlerContext ctx) {
        if (timer == null) {
            timer = ctx.executor().schedule(() -> {
                ctx.channel().close();
            }, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
