package ai.chutes.status.push.vsock;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.newsclub.net.unix.AFVSOCKSocketAddress;

/**
 * An AF_VSOCK connect that returns by its deadline.
 *
 * <p>A blocking vsock connect cannot be cut short: neither close() nor shutdown() from another thread
 * wakes it, it ends only when the transport answers or its own connect timeout (2 s by default) runs
 * out, and junixsocket ignores the connect timeout on platform threads (and retries a kernel time-out
 * once). Its non-blocking connect is no way out either: the channel's finishConnect() reports success
 * while the connect is still pending. So the connect runs on a short-lived daemon thread and the caller
 * waits at most the timeout; on time-out the socket is closed at once, which frees its descriptor, and
 * the thread ends when the kernel gives up.
 */
final class DeadlineConnect {

    private DeadlineConnect() {
    }

    static Socket connect(AFVSOCKSocketAddress address, Duration timeout) throws IOException {
        String target = "vsock cid " + address.getVSOCKCID() + " port " + address.getVSOCKPort();
        VsockSocket socket = VsockSocket.create();
        FutureTask<Void> attempt = new FutureTask<>(() -> {
            socket.connect(address);
            return null;
        });
        Thread thread = new Thread(attempt, "connect to " + target);
        thread.setDaemon(true);
        thread.start();
        try {
            attempt.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return socket;
        } catch (TimeoutException e) {
            closeQuietly(socket);
            throw new SocketTimeoutException("connect to " + target + " timed out after " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            closeQuietly(socket);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting to " + target);
        } catch (ExecutionException e) {
            closeQuietly(socket);
            throw rethrown(e.getCause());
        }
    }

    private static IOException rethrown(Throwable cause) {
        if (cause instanceof IOException) {
            return (IOException) cause;
        }
        if (cause instanceof RuntimeException) {
            throw (RuntimeException) cause;
        }
        throw (Error) cause;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the connect failed already; a failing close adds nothing the caller can act on
        }
    }
}
