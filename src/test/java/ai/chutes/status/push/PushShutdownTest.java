package ai.chutes.status.push;

import static ai.chutes.status.push.HostPeer.lifecycle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to a real agent process: the host reads {@code shutdown} as the last line before the socket closes. */
class PushShutdownTest {

    @TempDir
    Path dir;

    @Test
    void sigtermSendsShutdownBeforeTheConnectionCloses() throws Exception {
        FakeBinaries fakes = PushAgents.flippingUnit(dir, dir.resolve("never"));
        String address = "tcp://127.0.0.1:" + PushAgents.freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx64m",
                "-cp", System.getProperty("java.class.path"),
                "-Dstatus.bind-address=127.0.0.1", "-Dstatus.port=-1",
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
            } finally {
                agent.destroyForcibly();
            }
        }
    }
}
