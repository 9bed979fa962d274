package ai.chutes.status.push;

import ai.chutes.status.push.vsock.VsockSockets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The only place where the transports differ: how a socket is opened. Every transport yields a plain
 * blocking {@link Socket}, so the rest of the push channel never knows which one it talks over.
 * The collector uses it too (the protocol module), so it has no framework imports.
 */
public final class PushSockets {

    private static final int BACKLOG = 4;

    private PushSockets() {
    }

    public static Socket dial(PushAddress address, Duration timeout) throws IOException {
        int millis = Math.toIntExact(timeout.toMillis());
        return switch (address.transport()) {
            case TCP -> {
                Socket socket = new Socket();
                try {
                    socket.connect(new InetSocketAddress(address.host(), address.port()), millis);
                    socket.setTcpNoDelay(true);
                    yield socket;
                } catch (IOException e) {
                    socket.close();
                    throw e;
                }
            }
            case UNIX -> {
                AFUNIXSocket socket = AFUNIXSocket.newInstance();
                try {
                    socket.connect(AFUNIXSocketAddress.of(address.path()), millis);
                    yield socket;
                } catch (IOException e) {
                    socket.close();
                    throw e;
                }
            }
            case VSOCK -> VsockSockets.connect(address.cid(), address.port(), timeout);
        };
    }

    public static ServerSocket listen(PushAddress address) throws IOException {
        return listen(address, BACKLOG);
    }

    /** A collector that many guests dial needs a deeper accept queue than an agent that one host dials. */
    public static ServerSocket listen(PushAddress address, int backlog) throws IOException {
        return switch (address.transport()) {
            case TCP -> {
                ServerSocket server = new ServerSocket();
                try {
                    server.setReuseAddress(true);
                    server.bind(new InetSocketAddress(address.host(), address.port()), backlog);
                    yield server;
                } catch (IOException e) {
                    server.close();
                    throw e;
                }
            }
            case UNIX -> {
                AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
                try {
                    server.setDeleteOnClose(true);
                    server.bind(AFUNIXSocketAddress.of(address.path()), backlog);
                    yield server;
                } catch (IOException e) {
                    server.close();
                    throw e;
                }
            }
            case VSOCK -> VsockSockets.listen(address.cid(), address.port(), backlog);
        };
    }
}
