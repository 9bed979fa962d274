package ai.chutes.status.overview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.RunningAgent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel journal is read for XIDs on its own cadence ({@code status.gpu.xid-refresh}), not at every
 * overview refresh: real fake commands log each process they are started as, and a fake journalctl
 * answers the kernel-journal argv from a file the test appends a fatal XID to.
 */
class XidCadenceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String XID_79 =
            "%d.000001 gpu-node kernel: NVRM: Xid (PCI:0000:00:09): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.%n";

    @TempDir
    Path dir;

    private RunningAgent start(FakeBinaries fakes, Path kernel, String xidRefresh) {
        fakes.script("journalctl", "case \"$1\" in --dmesg) [ -e '" + dir.resolve("journal-broken") + "' ] && exit 1; cat '" + kernel + "' ;; *) sed -e 1d -e '$d' '"
                + FakeBinaries.fixture("systemd/journal-ok-short-iso.txt") + "' ;; esac");
        Map<String, Object> properties = new HashMap<>(fakes.properties());
        properties.put("status.cache-ttl", "0s"); // every overview is a refresh
        properties.put("status.gpu.xid-refresh", xidRefresh);
        return new RunningAgent(properties);
    }

    @Test
    void onceTheXidReadIsWarmAnOverviewRefreshStartsThreeProcesses() throws Exception {
        Path kernel = Files.writeString(dir.resolve("kernel.log"), "");
        FakeBinaries fakes = new FakeBinaries(dir);
        try (RunningAgent agent = start(fakes, kernel, "30s")) {
            assertEquals("ok", JSON.readTree(agent.get("/overview").body()).get("status").asText());
            assertTrue(fakes.argv().stream().anyMatch(argv -> argv.startsWith("journalctl --dmesg")),
                    "the first refresh reads the kernel journal: " + fakes.argv());
            for (int i = 0; i < 5; i++) {
                fakes.clearArgv();
                assertEquals(200, agent.get("/overview").status());
                List<String> programs = fakes.argv().stream()
                        .map(argv -> argv.startsWith("nvidia-smi --query-gpu=") ? "nvidia-smi --query-gpu" : argv.split(" ")[0]
                                + (argv.startsWith("systemctl show ") ? " show" : ""))
                        .sorted().toList();
                assertEquals(List.of("nvidia-smi", "nvidia-smi --query-gpu", "systemctl show"), programs,
                        "refresh " + i + " is three processes: " + fakes.argv());
            }
        }
    }

    @Test
    void aNewFatalXidDegradesTheOverviewWithinTheXidCadence() throws Exception {
        Path kernel = Files.writeString(dir.resolve("kernel.log"), "");
        FakeBinaries fakes = new FakeBinaries(dir);
        long cadenceMs = 1500;
        try (RunningAgent agent = start(fakes, kernel, cadenceMs + "ms")) {
            assertEquals("ok", JSON.readTree(agent.get("/overview").body()).get("status").asText(), "warm, no XID yet");

            Files.writeString(kernel, XID_79.formatted(System.currentTimeMillis() / 1000), StandardOpenOption.APPEND);
            long written = System.nanoTime();
            JsonNode overview;
            do {
                Thread.sleep(50);
                overview = JSON.readTree(agent.get("/overview").body());
            } while (overview.get("status").asText().equals("ok") && System.nanoTime() - written < 10_000_000_000L);
            long tookMs = (System.nanoTime() - written) / 1_000_000;

            assertEquals("degraded", overview.get("status").asText(), "never degraded: " + overview);
            assertEquals("GPU 0 (00000000:00:09.0) had fatal XID 79 (fell off the bus)", overview.at("/reasons/0").asText());
            // The cadence, plus one refresh of instant fakes and the 50 ms poll, with room for a loaded machine.
            assertTrue(tookMs <= cadenceMs + 700, "degraded " + tookMs + " ms after the XID; the cadence is " + cadenceMs + " ms");
            assertEquals(2, fakes.argv().stream().filter(argv -> argv.startsWith("journalctl --dmesg")).count(),
                    "the kernel journal read twice, at start and once the cadence ran out: " + fakes.argv());
        }
    }

    @Test
    void aJournalThatStopsAnsweringForgetsNoFatalXid() throws Exception {
        Path kernel = Files.writeString(dir.resolve("kernel.log"), XID_79.formatted(System.currentTimeMillis() / 1000));
        FakeBinaries fakes = new FakeBinaries(dir);
        long cadenceMs = 300;
        try (RunningAgent agent = start(fakes, kernel, cadenceMs + "ms")) {
            assertEquals("degraded", JSON.readTree(agent.get("/overview").body()).get("status").asText());
            Files.createFile(dir.resolve("journal-broken"));
            long failedReads = 0;
            long until = System.nanoTime() + 4 * cadenceMs * 1_000_000;
            while (System.nanoTime() < until || failedReads < 2) {
                Thread.sleep(100);
                JsonNode overview = JSON.readTree(agent.get("/overview").body());
                assertEquals("degraded", overview.get("status").asText(), "the XID was forgotten: " + overview);
                failedReads = fakes.argv().stream().filter(argv -> argv.startsWith("journalctl --dmesg")).count() - 1;
                assertTrue(System.nanoTime() < until + 10_000_000_000L, "the journal was not read again: " + fakes.argv());
            }
        }
    }
}
