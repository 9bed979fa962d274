package ai.chutes.status.push.vsock;

import java.io.FileDescriptor;
import org.newsclub.net.unix.AFSocketImpl;
import org.newsclub.net.unix.AFVSOCKSocketAddress;

/** junixsocket's generic socket implementation, bound to the AF_VSOCK address family. */
final class VsockSocketImpl extends AFSocketImpl<AFVSOCKSocketAddress> {

    VsockSocketImpl(FileDescriptor fd) {
        super(AFVSOCKSocketAddress.addressFamily(), fd);
    }
}
