package ai.chutes.status.push;

import static ai.chutes.status.push.HostPeer.lifecycle;
import static ai.chutes.status.push.HostPeer.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.FreePort;
import ai.chutes.status.RunningAgent;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A real unit flip seen by a real socket peer on the host side, over TCP and a unix socket, with the
 * agent dialing the host and with the host dialing the agent.
 */
class PushEndToEndTest {

    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final Duration WITHIN = INTERVAL.plusSeconds(1);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"tcp, dial", "tcp, listen", "unix, dial", "unix, listen"})
    void aFailedUnitReachesTheHostAsDegradedAndItsRecoveryAsHealthy(String transport, String mode) throws Exception {
        Path flag = dir.resolve("k3s-failed");
        FakeBinaries fakes = PushAgents.flippingUnit(dir, flag);
        boolean agentDials = mode.equals("dial");
        String address = transport.equals("tcp")
                ? "tcp://127.0.0.1:" + FreePort.pick()
                : "unix://" + dir.resolve(agentDials ? "collector.sock" : "agent.sock");
        try (Listener collector = agentDials ? Listener.open(address) : null;
             RunningAgent agent = PushAgents.start(fakes, address, mode, INTERVAL, Map.of());
             HostPeer host = new HostPeer(agentDials ? collector.accept() : PushAgents.dialAgent(address))) {

            host.await(lifecycle("healthy"), Duration.ofSeconds(10), "lifecycle healthy");
            host.await(type("overview"), WITHIN, "overview after healthy");

            Files.createFile(flag);
            long flipped = System.nanoTime();
            JsonNode degraded = host.await(lifecycle("degraded"), WITHIN, "lifecycle degraded");
            Duration took = Duration.ofNanos(System.nanoTime() - flipped);
            assertEquals("k3s: failed/failed", degraded.path("payload").path("message").asText());
            JsonNode overview = host.await(type("overview"), WITHIN, "overview after degraded");
            assertEquals("degraded", overview.path("payload").path("status").asText());
            assertEquals("failed", overview.path("payload").path("services").path(0).path("status").path("active_state").asText());

            Files.delete(flag);
            host.await(lifecycle("healthy"), WITHIN, "lifecycle healthy again");
            assertTrue(took.compareTo(WITHIN) <= 0, "degraded took " + took.toMillis() + " ms");
            PushAgents.assertSeqStrictlyIncreasing(host.received());
            assertEquals(List.of(), host.invalidMessages());
            String metrics = agent.get("/metrics").body();
            assertTrue(metrics.contains("system_status_push_connected 1.0"), metrics);
            assertTrue(metrics.contains("system_status_push_connections_total 1.0"), metrics);
            long sent = host.received().size();
            assertTrue(metrics.contains("system_status_push_sent_total "), metrics);
            assertTrue(sent >= 6, "messages received: " + sent);
        }
    }

    /** The host's listening socket: TCP or unix, yielding plain sockets. */
    record Listener(ServerSocket server) implements AutoCloseable {

        static Listener open(String address) throws IOException {
            if (address.startsWith("unix://")) {
                return new Listener(AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(Path.of(address.substring(7))), true));
            }
            String[] hostPort = address.substring(6).split(":");
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])));
            return new Listener(server);
        }

        Socket accept() throws IOException {
            server.setSoTimeout(10_000);
            return server.accept();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    static Socket unixSocket(Path path) throws IOException {
        return AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path));
    }

    static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(base);
        copy.put(key, value);
        return copy;
    }
}
