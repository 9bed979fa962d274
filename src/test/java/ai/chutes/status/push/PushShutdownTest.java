package ai.chutes.status.push;

import static ai.chutes.status.push.HostPeer.lifecycle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.FreePort;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to a real agent process: the host reads {@code shutdown} as the last line before the socket closes. */
class PushShutdownTest {

    @TempDir
    Path dir;

    @Test
    void sigtermSendsShutdownBeforeTheConnectionClosesAndLetsARequestInFlightFinish() throws Exception {
        // nvidia-smi takes 3 s once the agent is healthy (the flag file exists), so a request is in flight at SIGTERM.
        Path slow = dir.resolve("slow");
        FakeBinaries fakes = PushAgents.flippingUnit(dir, dir.resolve("never")).script("nvidia-smi",
                "[ -e '" + slow + "' ] && sleep 3; cat '" + FakeBinaries.fixture(
                        "nvidia-smi-table/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__idle.txt") + "'");
        int port = FreePort.pick();
        String address = "tcp://127.0.0.1:" + FreePort.pick();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx64m",
                "-cp", System.getProperty("java.class.path"),
                "-Dstatus.bind-address=127.0.0.1", "-Dstatus.port=" + port, "-Dstatus.cache-ttl=0s",
                "-Dstatus.push.address=" + address, "-Dstatus.push.interval=500ms",
                "-Dstatus.push.agent-id=guest-sigterm",
                "-Dstatus.services[0].id=k3s", "-Dstatus.services[0].unit=k3s.service"));
        fakes.properties().forEach((key, value) -> command.add(2, "-D" + key + "=" + value));
        command.add("ai.chutes.status.Application");
        try (PushEndToEndTest.Listener collector = PushEndToEndTest.Listener.open(address)) {
            Process agent = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("agent.log").toFile()).start();
            try (HostPeer host = new HostPeer(collector.accept())) {
                host.await(lifecycle("healthy"), Duration.ofSeconds(20), "lifecycle healthy");
                Files.createFile(slow);
                HttpClient client = HttpClient.newHttpClient();
                CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/gpu/nvidia-smi")).build(),
                        HttpResponse.BodyHandlers.ofString());
                Thread.sleep(1000);
                assertFalse(inFlight.isDone(), "the request should still be waiting for nvidia-smi");
                agent.destroy();
                host.awaitEnd(Duration.ofSeconds(10));
                List<JsonNode> received = host.received();
                JsonNode last = received.get(received.size() - 1);
                assertEquals("lifecycle", last.path("type").asText(), "last message: " + last);
                assertEquals("shutdown", last.path("payload").path("state").asText());
                assertEquals("guest-sigterm", last.path("payload").path("agent_id").asText());
                PushAgents.assertSeqStrictlyIncreasing(received);
                assertEquals(List.of(), host.invalidMessages());
                assertTrue(agent.waitFor(10, TimeUnit.SECONDS), "the agent did not exit after SIGTERM");
                // Graceful shutdown: the request in flight gets its real answer before the agent stops.
                HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
                assertEquals(200, response.statusCode(), response.body());
                JsonNode body = new ObjectMapper().readTree(response.body());
                assertEquals(0, body.path("exit_code").asInt(), response.body());
                assertTrue(body.path("stdout").asText().contains("NVIDIA H100 80GB HBM3"), response.body());
            } finally {
                agent.destroyForcibly();
            }
        }
    }

    /**
     * A state change that races the close (a refresh whose commands systemd killed at stop, seen as
     * failed) must not replace shutdown: once closed, the channel takes no state and no overview.
     */
    @Test
    void noStateChangeAfterShutdownReachesTheHost() throws Exception {
        FakeBinaries fakes = PushAgents.flippingUnit(dir, dir.resolve("never"));
        String address = "tcp://127.0.0.1:" + FreePort.pick();
        try (PushEndToEndTest.Listener collector = PushEndToEndTest.Listener.open(address);
             ai.chutes.status.RunningAgent agent = PushAgents.start(fakes, address, "dial", Duration.ofSeconds(30), java.util.Map.of());
             HostPeer host = new HostPeer(collector.accept())) {
            host.await(lifecycle("healthy"), Duration.ofSeconds(20), "lifecycle healthy");
            PushChannel channel = agent.context().getBean(PushChannel.class);
            channel.close();
            channel.lifecycle(LifecycleState.DEGRADED, "k3s: command_failed");
            assertEquals(LifecycleState.SHUTDOWN, channel.state());
            host.awaitEnd(Duration.ofSeconds(10));
            List<JsonNode> received = host.received();
            JsonNode last = received.get(received.size() - 1);
            assertEquals("shutdown", last.path("payload").path("state").asText(), "last message: " + last);
        }
    }
}
