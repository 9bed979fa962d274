package ai.chutes.status.overview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.JsonSchemas;
import ai.chutes.status.RunningAgent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GPU that fell off the bus, end to end: a fake journalctl answers the agent's fixed kernel-journal
 * argv with NVRM Xid lines in the driver's documented form ({@code NVRM: Xid (PCI:0000:00:09): 79,
 * pid=..., GPU has fallen off the bus.}, on the captured H100's PCI address), and every other argv
 * with the captured unit journal. /overview, /metrics' verdict and the XID series all say so; no text
 * of the journal reaches a client.
 */
class GpuFaultEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aFatalXidDegradesTheOverviewAndTheMetricsNamingTheGpu() throws Exception {
        Path kernel = dir.resolve("kernel.log");
        Files.writeString(kernel, """
                1732990000.123456 gpu-node kernel: NVRM: Xid (PCI:0000:00:09): 31, pid=2096908, name=secret-job, Ch 00000008
                1732990100.000001 gpu-node kernel: NVRM: Xid (PCI:0000:00:09): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.
                1732990101.000001 gpu-node kernel: NVRM: Xid (PCI:0000:00:09): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.
                """);
        FakeBinaries fakes = new FakeBinaries(dir);
        fakes.script("journalctl", "case \"$1\" in --dmesg) cat '" + kernel + "' ;; *) sed -e 1d -e '$d' '"
                + FakeBinaries.fixture("systemd/journal-ok-short-iso.txt") + "' ;; esac");
        Map<String, Object> properties = new HashMap<>(fakes.properties());
        try (RunningAgent agent = new RunningAgent(properties)) {
            RunningAgent.Reply overview = agent.get("/overview");
            JsonSchemas.assertValid("overview.schema.json", overview.body());
            JsonNode body = JSON.readTree(overview.body());
            assertEquals("degraded", body.get("status").asText());
            assertEquals("GPU 0 (00000000:00:09.0) had fatal XID 79 (fell off the bus)", body.at("/reasons/0").asText());
            assertEquals(1, body.get("reasons").size(), body.get("reasons").toString());
            assertEquals(2, body.at("/gpus/0/xid_errors/79").asInt());
            assertEquals(1, body.at("/gpus/0/xid_errors/31").asInt());
            assertEquals(1732990101.000001, body.at("/gpus/0/xid_last_timestamp_seconds").asDouble(), 1e-6);
            assertFalse(overview.body().contains("secret-job") || overview.body().contains("pid="), "no journal text in an answer");

            String metrics = agent.get("/metrics").body();
            assertTrue(metrics.contains("nvidia_smi_xid_errors_total{pci_bus_id=\"0000:00:09\",uuid=\"00000000-0000-0000-0000-000000000000\",xid=\"79\"} 2.0"), metrics);
            assertTrue(metrics.contains("nvidia_smi_xid_last_timestamp_seconds{pci_bus_id=\"0000:00:09\",uuid=\"00000000-0000-0000-0000-000000000000\",xid=\"31\"} 1.732990000123456E9"), metrics);
            assertTrue(metrics.contains("system_status_overview_ok 0.0"), "the same verdict as /overview");
            assertFalse(metrics.contains("secret-job"));
            assertTrue(fakes.argv().contains("journalctl --dmesg --boot=0 --no-pager --output=short-unix --lines=2000"));
        }
    }
}
