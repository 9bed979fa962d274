package ai.chutes.status;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A loopback TCP port no one listens on at this moment (the kernel picks it), for a peer a test starts. */
public final class FreePort {

    private FreePort() {
    }

    public static int pick() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
