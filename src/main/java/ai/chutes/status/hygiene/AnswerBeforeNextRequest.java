package ai.chutes.status.hygiene;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-connection backpressure, between Netty's HTTP codec and Micronaut: a connection's next request is
 * handed on only once the previous answer's last byte has reached the socket (the kernel took it), and
 * no more bytes are read from the socket meanwhile. Micronaut alone reads again as soon as it has
 * handed an answer to Netty, so a client that pipelines requests and never reads the answers piled
 * them up in Netty's outbound buffer without limit (direct memory). Here a connection holds at most
 * one answer being written, plus the requests Netty decoded from the last read buffer (held, not
 * handled).
 *
 * <p>An answer that cannot be written whole within {@code writeTimeout} (the client stopped reading)
 * closes the connection. Only touched on the connection's event loop.
 */
final class AnswerBeforeNextRequest extends ChannelDuplexHandler {

    static final String NAME = "status-answer-before-next-request";
    private static final Logger LOG = LoggerFactory.getLogger(AnswerBeforeNextRequest.class);

    private final long writeTimeoutNanos;
    /** Messages of requests decoded while an earlier answer was still being produced or written. */
    private final Queue<Object> held = new ArrayDeque<>();
    /** Requests handed on whose answer is not yet written whole. */
    private int answersDue;
    /** A request handed on whose last part (end of headers or body) has not arrived yet. */
    private boolean requestOpen;
    private boolean readWanted;
    private boolean answerStarted;
    /** An answer's last part is handed to Netty but not yet written whole. */
    private boolean lastPartPending;
    private ScheduledFuture<?> writeDeadline;

    AnswerBeforeNextRequest(Duration writeTimeout) {
        this.writeTimeoutNanos = writeTimeout.toNanos();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!held.isEmpty() || (answersDue > 0 && msg instanceof HttpRequest)) {
            held.add(msg);
            return;
        }
        handOn(ctx, msg);
    }

    private void handOn(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            answersDue++;
            requestOpen = true;
        }
        if (msg instanceof LastHttpContent) {
            requestOpen = false;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        // The open request's own body may still be read; nothing after it until its answer is out.
        if (!held.isEmpty() || (answersDue > 0 && !requestOpen)) {
            readWanted = true; // asked again once the answer is written
            return;
        }
        readWanted = false;
        ctx.read();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && !response.status().equals(HttpResponseStatus.CONTINUE)) {
            answerStarted = true;
            armDeadline(ctx);
        }
        if (!(msg instanceof LastHttpContent) || !answerStarted) {
            ctx.write(msg, promise);
            return;
        }
        answerStarted = false;
        lastPartPending = true;
        ctx.write(msg, promise.unvoid()).addListener(written -> {
            lastPartPending = false;
            if (ctx.channel().isWritable()) {
                cancelDeadline();
            }
            if (written.isSuccess()) {
                answered(ctx);
            }
        });
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Micronaut holds an answer back while the channel is not writable: the clock runs then too.
        // Writable again while an answer's tail still waits (below the low water mark, the client not
        // reading) is not progress: the clock keeps running until that tail is written.
        if (ctx.channel().isWritable() && !lastPartPending) {
            cancelDeadline();
        } else {
            armDeadline(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void armDeadline(ChannelHandlerContext ctx) {
        if (writeDeadline == null) {
            writeDeadline = ctx.executor().schedule(() -> tooSlow(ctx), writeTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void answered(ChannelHandlerContext ctx) {
        answersDue = Math.max(0, answersDue - 1);
        boolean released = false;
        while (!held.isEmpty() && !(answersDue > 0 && held.peek() instanceof HttpRequest)) {
            released = true;
            handOn(ctx, held.poll());
        }
        if (released) {
            ctx.fireChannelReadComplete();
        }
        if (readWanted) {
            read(ctx);
        }
    }

    private void tooSlow(ChannelHandlerContext ctx) {
        writeDeadline = null;
        // TCP and HTTPS peers have an address; a unix socket peer has none, so name the listener.
        SocketAddress remote = ctx.channel().remoteAddress();
        String from = remote instanceof InetSocketAddress ? remote.toString() : "a unix socket client";
        LOG.info("closing a connection from {}: an answer was not taken within {} ms", from,
                TimeUnit.NANOSECONDS.toMillis(writeTimeoutNanos));
        ctx.close();
    }

    private void cancelDeadline() {
        if (writeDeadline != null) {
            writeDeadline.cancel(false);
            writeDeadline = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelDeadline();
        releaseHeld();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelDeadline();
        releaseHeld();
    }

    private void releaseHeld() {
        for (Object msg = held.poll(); msg != null; msg = held.poll()) {
            ReferenceCountUtil.release(msg);
        }
    }
}
