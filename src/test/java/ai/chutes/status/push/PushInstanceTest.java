package ai.chutes.status.push;

import static ai.chutes.status.push.HostPeer.lifecycle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.RunningAgent;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle's {@code instance}: one per agent start, the same on every lifecycle of that start
 * (across reconnects too), a new one after a restart; so the host tells a restart from a clone.
 */
class PushInstanceTest {

    @TempDir
    Path dir;

    @Test
    void everyLifecycleOfOneStartCarriesItsInstanceAndARestartGetsANewOne() throws Exception {
        FakeBinaries fakes = PushAgents.flippingUnit(dir, dir.resolve("never"));
        List<String> instances = new ArrayList<>();
        try (ServerSocket collector = new ServerSocket()) {
            collector.bind(new InetSocketAddress("127.0.0.1", 0));
            collector.setSoTimeout(10_000);
            String address = "tcp://127.0.0.1:" + collector.getLocalPort();
            for (int start = 0; start < 2; start++) {
                try (RunningAgent agent = PushAgents.start(fakes, address, "dial", Duration.ofMillis(500), Map.of());
                     HostPeer host = new HostPeer(collector.accept())) {
                    JsonNode booting = host.await(lifecycle("booting"), Duration.ofSeconds(10), "lifecycle booting");
                    JsonNode healthy = host.await(lifecycle("healthy"), Duration.ofSeconds(10), "lifecycle healthy");
                    String instance = booting.path("payload").path("instance").asText();
                    assertTrue(instance.matches("[0-9a-f]{32}"), "instance " + instance);
                    assertEquals(instance, healthy.path("payload").path("instance").asText(), "one start, one instance");
                    assertEquals(List.of(), host.invalidMessages(), "valid against push-lifecycle.schema.json");
                    instances.add(instance);
                }
            }
        }
        assertNotEquals(instances.get(0), instances.get(1), "a restart is a new instance");
    }
}
