package ai.chutes.collector;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The vsock listen path on this machine's real kernel, as far as it may go here: bind and listen on
 * every CID beside a TCP listener, serve the TCP guest, and close promptly. Nothing dials vsock here;
 * guests connecting over vsock are the VM test bed's (docs/collector.md "vsock in the VM test bed").
 */
class CollectorVsockListenTest {

    @Test
    void listensOnEveryCidBesideTcpAndClosesPromptly() throws Exception {
        assertTrue(Files.exists(Path.of("/dev/vsock")), "/dev/vsock is missing: this test needs AF_VSOCK (CI has it)");
        int tcp = freePort();
        int vsockPort = 40_000 + ThreadLocalRandom.current().nextInt(20_000);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Collector collector = new Collector(StubOptions.parse("--listen", "vsock://-1:" + vsockPort, "--listen", "tcp://127.0.0.1:" + tcp,
                "--interval", "1s"), new PrintStream(printed, true, StandardCharsets.UTF_8), Clock.systemUTC());
        try (collector; SimulatedGuest guest = SimulatedGuest.tcp("guest-1", startAndPort(collector, tcp))) {
            guest.lifecycle("healthy", "all checks pass");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!printed.toString(StandardCharsets.UTF_8).contains("guest-1 (first seen) -> healthy")) {
                if (System.nanoTime() > deadline) {
                    fail("the TCP guest was not seen: " + printed.toString(StandardCharsets.UTF_8));
                }
                Thread.sleep(20);
            }
            assertTrue(printed.toString(StandardCharsets.UTF_8).contains("collector listening on vsock://-1:" + vsockPort));
        }
        long closing = System.nanoTime();
        collector.close();
        assertTrue(Duration.ofNanos(System.nanoTime() - closing).toMillis() < 1000, "close took too long");
    }

    private static int startAndPort(Collector collector, int port) throws IOException {
        collector.start();
        return port;
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }
}
