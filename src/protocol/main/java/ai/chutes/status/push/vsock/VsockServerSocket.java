package ai.chutes.status.push.vsock;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.newsclub.net.unix.AFServerSocket;
import org.newsclub.net.unix.AFServerSocketChannel;
import org.newsclub.net.unix.AFSocket;
import org.newsclub.net.unix.AFSocketImpl;
import org.newsclub.net.unix.AFVSOCKSocketAddress;

/**
 * A blocking AF_VSOCK listening socket whose accept() returns {@link VsockSocket}s.
 *
 * <p>The kernel's AF_VSOCK accept wakes only for a connection, a signal or SO_RCVTIMEO; closing the
 * socket from another thread does not wake it. junixsocket's remedy, connecting to the socket itself,
 * needs a loopback transport: without one the accepting thread stays blocked for good and close()
 * waits out the 2 s vsock connect timeout. So accept() waits in short slices and stops between two of
 * them once the socket is closed, and SO_TIMEOUT is kept here and honoured across the slices.
 */
final class VsockServerSocket extends AFServerSocket<AFVSOCKSocketAddress> {

    private static final int SLICE_MILLIS = 100;

    /** Slices hold the read lock and close() the write lock, so close never finds an accept in the kernel. */
    private final ReadWriteLock closeGate = new ReentrantReadWriteLock();
    private volatile int soTimeoutMillis;

    VsockServerSocket() throws IOException {
        super();
    }

    @Override
    public AFSocket<AFVSOCKSocketAddress> accept() throws IOException {
        int timeout = soTimeoutMillis;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
        while (true) {
            long left = timeout == 0 ? SLICE_MILLIS : TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("Accept timed out");
            }
            closeGate.readLock().lock();
            try {
                if (isClosed()) {
                    throw new SocketException("Socket is closed");
                }
                super.setSoTimeout((int) Math.min(SLICE_MILLIS, left));
                return super.accept();
            } catch (SocketTimeoutException sliceOver) {
                // nobody connected in this slice: check close and the deadline, then wait again
            } finally {
                closeGate.readLock().unlock();
            }
        }
    }

    @Override
    public void close() throws IOException {
        closeGate.writeLock().lock();
        try {
            super.close();
        } finally {
            closeGate.writeLock().unlock();
        }
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout < 0");
        }
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        soTimeoutMillis = timeout;
    }

    @Override
    public int getSoTimeout() throws IOException {
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        return soTimeoutMillis;
    }

    @Override
    protected AFSocketImpl<AFVSOCKSocketAddress> newImpl(FileDescriptor fd) {
        return new VsockSocketImpl(fd);
    }

    @Override
    protected AFSocket<AFVSOCKSocketAddress> newSocketInstance() throws IOException {
        return VsockSocket.create();
    }

    /** No channel, as for {@link VsockSocket}; {@link java.net.ServerSocket#getChannel()} may return null. */
    @Override
    protected AFServerSocketChannel<AFVSOCKSocketAddress> newChannel() {
        return null;
    }
}
