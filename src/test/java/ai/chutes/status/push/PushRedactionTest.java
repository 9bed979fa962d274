package ai.chutes.status.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FreePort;
import ai.chutes.status.RunningAgent;
import ai.chutes.status.redact.PlantedSecrets;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pushed overview is built by the same readers as /overview, so it leaves the agent redacted too. */
class PushRedactionTest {

    @TempDir
    Path dir;

    @Test
    void thePushedOverviewCarriesNoPlantedSecret() throws Exception {
        String address = "tcp://127.0.0.1:" + FreePort.pick();
        try (PushEndToEndTest.Listener collector = PushEndToEndTest.Listener.open(address);
             RunningAgent agent = PushAgents.start(PlantedSecrets.binaries(dir), address, "dial",
                     Duration.ofMillis(500), Map.of());
             HostPeer host = new HostPeer(collector.accept())) {
            JsonNode overview = host.await(HostPeer.type("overview"), Duration.ofSeconds(10), "overview");
            String gpu = overview.path("payload").path("gpu").toString();
            assertTrue(gpu.contains("password=[REDACTED]"), gpu);
            assertTrue(overview.path("payload").path("gpu").path("stderr").asText().contains("[REDACTED]"), gpu);
            for (String secret : List.of(PlantedSecrets.JWT, PlantedSecrets.PASSWORD)) {
                assertFalse(overview.toString().contains(secret), secret + " was pushed");
            }
            assertEquals(List.of(), host.invalidMessages());
        }
    }
}
