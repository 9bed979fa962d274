package ai.chutes.status.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
 * The push channel over real AF_VSOCK sockets. This kernel has no vsock loopback, so the tests prove
 * what can be proven here: the agent binds and listens, and a dial to an absent host fails cleanly
 * and is retried with backoff while the API keeps answering. Byte transfer is covered over TCP and unix.
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

    @Test
    void dialingAnAbsentHostFailsCleanlyAndRetriesWithBackoff() throws Exception {
        FakeBinaries fakes = PushAgents.flippingUnit(dir, dir.resolve("never"));
        try (RunningAgent agent = PushAgents.start(fakes, "vsock://" + PushAddress.HOST_CID + ":" + randomPort(), "dial",
                Duration.ofMillis(200), Map.of())) {
            PushChannel channel = agent.context().getBean(PushChannel.class);
            Thread.sleep(2000);
            long failures = channel.connectFailures();
            // backoff 50 ms doubling to 300 ms: about 8 tries in 2 s, never a tight loop.
            assertTrue(failures >= 3 && failures <= 40, "dial attempts in 2 s: " + failures);
            assertFalse(channel.connected());
            assertEquals(200, agent.get("/health").status());
            assertEquals(200, agent.get("/overview").status());
            assertTrue(channel.queued() <= Outbox.MAX_LIFECYCLE + 1);
        }
    }
}
