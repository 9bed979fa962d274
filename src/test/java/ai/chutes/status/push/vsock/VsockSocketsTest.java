package ai.chutes.status.push.vsock;

import static ai.chutes.status.push.vsock.VsockSockets.VMADDR_CID_ANY;
import static ai.chutes.status.push.vsock.VsockSockets.VMADDR_PORT_ANY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.newsclub.net.unix.AFVSOCKSocketAddress;

/**
 * Real AF_VSOCK sockets on this machine's kernel. They need /dev/vsock (this machine and CI have it)
 * and fail, not skip, without it. They bind and listen only: this machine is itself a VM, and any
 * AF_VSOCK connect (CID 1, 2, its own or another) leaves it for infrastructure that is not ours.
 * Dialing and real bytes are tested inside the project's own QEMU guest (src/e2e, vsock_loopback).
 */
class VsockSocketsTest {

    private static final int UNUSED_PORT = 1_987_654_321;

    @BeforeAll
    static void requireVsock() {
        assertTrue(Files.exists(Path.of("/dev/vsock")),
                "/dev/vsock is missing: these tests need a kernel with AF_VSOCK and a vsock transport (CI has one)");
    }

    @Test
    void localCidIsTheOneCidTheKernelLetsUsBindTo() throws IOException {
        int cid = VsockSockets.localCid().orElseThrow(() -> new AssertionError("no CID although /dev/vsock exists"));
        assertTrue(cid >= 3, "a guest's CID is 3 or more, got " + cid);

        // A second source: the kernel binds AF_VSOCK only to a CID of this machine.
        try (ServerSocket own = VsockSockets.listen(cid, VMADDR_PORT_ANY, 1)) {
            assertEquals(cid, address(own).getVSOCKCID());
        }
        IOException other = assertThrows(IOException.class, () -> VsockSockets.listen(cid + 1, VMADDR_PORT_ANY, 1).close());
        assertEquals("Cannot assign requested address", other.getMessage());
    }

    @Test
    void listensOnAFreePortThatASecondListenerCannotTake() throws IOException {
        try (ServerSocket server = VsockSockets.listen(VMADDR_CID_ANY, VMADDR_PORT_ANY, 4)) {
            AFVSOCKSocketAddress bound = address(server);
            assertEquals(VMADDR_CID_ANY, bound.getVSOCKCID());
            // The vsock port is an unsigned 32-bit number: the kernel's pick may have the top bit set.
            assertTrue(Integer.toUnsignedLong(bound.getVSOCKPort()) > 1023, "the kernel picks a port above the reserved ones: " + bound);

            IOException taken = assertThrows(IOException.class,
                    () -> VsockSockets.listen(VMADDR_CID_ANY, bound.getVSOCKPort(), 4).close());
            assertEquals("Address already in use", taken.getMessage());

            // A refused bind closes the socket it made (the agent retries binds in listen mode).
            int before = openSockets();
            for (int i = 0; i < 50; i++) {
                assertThrows(IOException.class, () -> VsockSockets.listen(VMADDR_CID_ANY, bound.getVSOCKPort(), 4).close());
            }
            int after = openSockets();
            assertTrue(after <= before, "open sockets: " + before + " before 50 refused binds, " + after + " after");
        }
    }

    @Test
    void acceptGivesUpAfterSoTimeout() throws IOException {
        try (ServerSocket server = VsockSockets.listen(VMADDR_CID_ANY, VMADDR_PORT_ANY, 4)) {
            server.setSoTimeout(300);
            assertEquals(300, server.getSoTimeout());

            long millis = millisTaken(() -> assertThrows(SocketTimeoutException.class, server::accept));
            assertTrue(millis >= 300 && millis < 1_300, "accept took " + millis + " ms");
        }
    }

    @Test
    void closeEndsAnAcceptBlockedInAnotherThread() throws Exception {
        ServerSocket server = VsockSockets.listen(VMADDR_CID_ANY, VMADDR_PORT_ANY, 4);
        CompletableFuture<Throwable> accepting = CompletableFuture.supplyAsync(() -> {
            try {
                server.accept().close();
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        Thread.sleep(300);

        long closeMillis = millisTaken(server::close);
        assertTrue(closeMillis < 1_000, "close took " + closeMillis + " ms");
        Throwable ended = accepting.get(1, TimeUnit.SECONDS);
        assertInstanceOf(SocketException.class, ended);
        server.close();
        assertTrue(server.isClosed());
    }

    /**
     * Refused before any socket exists, so nothing is dialed; the address is the wildcard, which no dial
     * could reach anyway.
     */
    @Test
    void timeoutMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> VsockSockets.connect(VMADDR_CID_ANY, UNUSED_PORT, Duration.ZERO));
    }

    private static AFVSOCKSocketAddress address(ServerSocket server) {
        return (AFVSOCKSocketAddress) server.getLocalSocketAddress();
    }

    private static long millisTaken(Executable action) {
        long start = System.nanoTime();
        try {
            action.execute();
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /**
     * This process's open socket descriptors. Only sockets, and compared with "no more than before",
     * because other test classes in the same JVM may still be closing files, pipes and sockets of their own.
     */
    private static int openSockets() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.filter(VsockSocketsTest::isSocket).count();
        }
    }

    private static boolean isSocket(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString().startsWith("socket:");
        } catch (IOException closedMeanwhile) {
            return false;
        }
    }
}
