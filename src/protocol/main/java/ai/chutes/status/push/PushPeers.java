package ai.chutes.status.push;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFVSOCKSocketAddress;

/**
 * Who is at the other end of an accepted push connection, as the kernel vouches for it and never as
 * the peer claims: {@code vsock:cid=5} (the guest's CID), {@code unix:uid=1000} (SO_PEERCRED) or
 * {@code tcp:10.0.2.15} (the address, without the port a reconnect changes).
 */
public final class PushPeers {

    private PushPeers() {
    }

    public static String describe(Socket socket) {
        SocketAddress remote = socket.getRemoteSocketAddress();
        if (remote instanceof AFVSOCKSocketAddress vsock) {
            return "vsock:cid=" + vsock.getVSOCKCID();
        }
        if (socket instanceof AFUNIXSocket unix) {
            try {
                return "unix:uid=" + unix.getPeerCredentials().getUid();
            } catch (IOException | RuntimeException e) {
                return "unix:unknown";
            }
        }
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return "tcp:" + inet.getAddress().getHostAddress();
        }
        return "unknown";
    }
}
