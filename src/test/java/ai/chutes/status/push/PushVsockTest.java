package ai.chutes.status.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.RunningAgent;
import ai.chutes.status.push.vsock.VsockSockets;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push channel over real AF_VSOCK sockets on this machine: the agent binds and listens, and
 * releases the port when it stops. Nothing here dials: this machine is a VM whose vsock leads to
 * infrastructure that is not ours. Dialing, retries and real bytes over vsock are checked inside the
 * project's own QEMU guest (src/e2e); dial failures and backoff are covered over TCP (PushDeliveryTest).
 */
class PushVsockTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void vsockIsAvailable() {
        if (VsockSockets.localCid().isEmpty()) {
            fail("/dev/vsock is missing: these tests need an AF_VSOCK-capable kernel (CI has one)");
        }
    }

    private static int randomPort() {
        return ThreadLocalRandom.current().nextInt(20_000, 60_000);
    }

    @Test
    void listenModeBindsTheVsockPort() throws Exception {
        int port = randomPort();
        FakeBinaries fakes = PushAgents.flippingUnit(dir, dir.resolve("never"));
        try (RunningAgent agent = PushAgents.start(fakes, "vsock://-1:" + port, "listen", Duration.ofSeconds(1), Map.of())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (true) {
                try (ServerSocket competitor = VsockSockets.listen(PushAddress.ANY_CID, port, 1)) {
                    if (System.nanoTime() > deadline) {
                        fail("the agent never bound vsock port " + port);
                    }
                } catch (IOException inUse) {
                    break;
                }
                Thread.sleep(50);
            }
            assertEquals(200, agent.get("/health").status());
        }
        // Closing the agent releases the port.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            try (ServerSocket again = VsockSockets.listen(PushAddress.ANY_CID, port, 1)) {
                break;
            } catch (IOException stillBound) {
                if (System.nanoTime() > deadline) {
                    fail("vsock port " + port + " still bound after the agent stopped: " + stillBound.getMessage());
                }
                Thread.sleep(50);
            }
        }
    }
}
