package ai.chutes.status.push;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One live socket to the host. Writes are serialised and bounded in time: a host that stops reading
 * fills the socket buffer, and after {@code writeTimeout} the watchdog closes the socket, which
 * unblocks the writer; the channel then reconnects.
 */
final class PushConnection implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final Duration writeTimeout;
    private final ScheduledExecutorService watchdog;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile boolean closed;

    PushConnection(Socket socket, Duration writeTimeout, ScheduledExecutorService watchdog) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.writeTimeout = writeTimeout;
        this.watchdog = watchdog;
    }

    Socket socket() {
        return socket;
    }

    /** Writes one whole line, or throws once the connection is unusable. */
    void send(byte[] line) throws IOException {
        writeLock.lock();
        try {
            writeLocked(line);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Writes a final line and half-closes under the write lock, so nothing can follow it; gives up
     * (and just closes) when another write holds the socket longer than {@code wait}.
     */
    boolean sendLast(byte[] line, Duration wait) throws InterruptedException {
        if (!writeLock.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS)) {
            close();
            return false;
        }
        try {
            writeLocked(line);
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            finish();
            writeLock.unlock();
        }
    }

    private void writeLocked(byte[] line) throws IOException {
        if (closed) {
            throw new IOException("connection closed");
        }
        ScheduledFuture<?> guard = watchdog.schedule(this::close, writeTimeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            out.write(line);
            out.flush();
        } finally {
            guard.cancel(false);
        }
    }

    boolean isOpen() {
        return !closed;
    }

    /** Half-closes, so the host reads everything written before it sees the end of the stream. */
    private void finish() {
        try {
            socket.shutdownOutput();
        } catch (IOException | UnsupportedOperationException ignored) {
            // close() below ends the connection anyway
        }
        close();
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to do with a socket that is going away
        }
    }
}
