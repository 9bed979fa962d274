package ai.chutes.status.push.vsock;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.SocketException;
import org.newsclub.net.unix.AFSocket;
import org.newsclub.net.unix.AFSocketChannel;
import org.newsclub.net.unix.AFSocketFactory;
import org.newsclub.net.unix.AFVSOCKSocketAddress;
import org.newsclub.net.unix.AFVSOCKSocketImplExtensions;

/** A blocking AF_VSOCK stream socket: junixsocket's generic AFSocket does the work. */
final class VsockSocket extends AFSocket<AFVSOCKSocketAddress> {

    private VsockSocket(FileDescriptor fd, AFSocketFactory<AFVSOCKSocketAddress> factory) throws SocketException {
        super(new VsockSocketImpl(fd), factory);
    }

    static VsockSocket create() throws SocketException {
        return (VsockSocket) newInstance(VsockSocket::new, null);
    }

    /**
     * No channel: streams, timeouts and close go through the impl, and {@link java.net.Socket#getChannel()}
     * is specified to return null for a socket that was not opened through a channel.
     */
    @Override
    protected AFSocketChannel<AFVSOCKSocketAddress> newChannel() {
        return null;
    }

    /** The CID junixsocket read from /dev/vsock (once per process); -1 when it could not open the device. */
    int localCid() throws IOException {
        return ((AFVSOCKSocketImplExtensions) getImplExtensions()).getLocalCID();
    }
}
