package ai.chutes.status.push.vsock;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import org.newsclub.net.unix.AFSocket;
import org.newsclub.net.unix.AFSocketCapability;
import org.newsclub.net.unix.AFVSOCKSocketAddress;

/**
 * AF_VSOCK stream sockets (virtio-vsock between a VM and its host), as plain blocking
 * {@link java.net.Socket}s. Built on junixsocket-common's generic socket classes because its vsock
 * module is not available to this build.
 *
 * <p>Static because there is nothing to hold: each call makes its own socket. (junixsocket's
 * process-global address-family registration is not needed for that and is left alone; see
 * package-info.)
 */
public final class VsockSockets {

    /** Listen on every CID of this machine. */
    public static final int VMADDR_CID_ANY = AFVSOCKSocketAddress.VMADDR_CID_ANY;
    /** The host, as seen from a guest. */
    public static final int VMADDR_CID_HOST = AFVSOCKSocketAddress.VMADDR_CID_HOST;
    /** Let the kernel choose a free port. */
    public static final int VMADDR_PORT_ANY = AFVSOCKSocketAddress.VMADDR_PORT_ANY;

    private static final Path DEVICE = Path.of("/dev/vsock");

    private VsockSockets() {
    }

    /**
     * The local CID as /dev/vsock reports it (read once per process by junixsocket); empty when there is
     * no usable vsock device: absent, not readable by this process, or AF_VSOCK unsupported.
     */
    public static OptionalInt localCid() {
        // junixsocket answers VMADDR_CID_HOST when /dev/vsock exists but cannot be opened: a guess, not a reading
        if (!Files.isReadable(DEVICE) || !AFSocket.supports(AFSocketCapability.CAPABILITY_VSOCK)) {
            return OptionalInt.empty();
        }
        try (VsockSocket socket = VsockSocket.create()) {
            int cid = socket.localCid();
            return cid == VMADDR_CID_ANY ? OptionalInt.empty() : OptionalInt.of(cid);
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }

    /**
     * Connects to cid:port within the timeout; a plain blocking socket with normal streams and no read
     * timeout. Fails with the kernel's answer (for example a reset when nothing listens on the host's
     * port, "No such device" for a CID no transport reaches) or with a
     * {@link java.net.SocketTimeoutException} at the timeout. Nobody answering at all ends in the
     * transport's own time-out after 2 s (junixsocket tries twice, so 4 s) when the timeout is longer.
     */
    public static Socket connect(int cid, int port, Duration timeout) throws IOException {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        return DeadlineConnect.connect(AFVSOCKSocketAddress.ofPortAndCID(port, cid), timeout);
    }

    /**
     * Binds and listens on cid:port (cid may be {@link #VMADDR_CID_ANY}, port {@link #VMADDR_PORT_ANY});
     * accept() gives sockets as {@link #connect} does, honours SO_TIMEOUT and ends when another thread
     * closes the server socket. The bound address is {@code getLocalSocketAddress()}, an
     * {@link AFVSOCKSocketAddress}; {@code getLocalPort()} is not the vsock port.
     */
    public static ServerSocket listen(int cid, int port, int backlog) throws IOException {
        VsockServerSocket server = new VsockServerSocket();
        try {
            server.bind(AFVSOCKSocketAddress.ofPortAndCID(port, cid), backlog);
            return server;
        } catch (IOException | RuntimeException e) {
            try {
                server.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }
}
