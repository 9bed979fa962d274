package ai.chutes.status.metrics;

import static ai.chutes.status.metrics.Exposition.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.Fixtures;
import ai.chutes.status.GpuQueryCsv;
import ai.chutes.status.RunningAgent;
import ai.chutes.status.gpu.GpuDetailParser;
import ai.chutes.status.gpu.GpuSample;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} scraped over HTTP from an agent whose commands are fake processes replaying captures. */
class MetricsEndpointTest {

    private static final long MIB = 1024L * 1024L;
    private static final String UUID = "GPU-00000000-0000-0000-0000-000000000000";
    private static final List<String> SERVICES = List.of("admission-controller", "system-manager", "attestation-service", "k3s",
            "nvidia-persistenced", "nvidia-fabricmanager", "infiniband-config");

    @TempDir
    Path dir;
    private FakeBinaries fakes;
    private RunningAgent agent;

    @BeforeEach
    void start() {
        fakes = new FakeBinaries(dir);
        Map<String, Object> properties = new HashMap<>(fakes.properties());
        // Every scrape collects afresh, so a test can change what the fake commands print between scrapes.
        properties.put("status.metrics.min-interval", "0s");
        properties.put("status.cache-ttl", "0s");
        agent = new RunningAgent(properties);
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    private Exposition scrape() {
        RunningAgent.Reply reply = agent.get("/metrics");
        assertEquals(200, reply.status(), reply.body());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", reply.contentType());
        return Exposition.parse(reply.body());
    }

    @Test
    void anH100GivesExactlyTheNvidiaGpuExporterSeries() {
        Exposition scrape = scrape();

        Map<String, Double> expected = new TreeMap<>();
        expected.put(series("nvidia_smi_gpu_info", "uuid", UUID, "name", "NVIDIA H100 80GB HBM3", "index", "0",
                "pci_bus_id", "00000000:00:09.0", "driver_version", "590.48.01", "vbios_version", "96.00.A5.00.01",
                "compute_cap", "9.0"), 1.0);
        expected.put(series("nvidia_smi_utilization_gpu_ratio", "uuid", UUID), 0.0);
        expected.put(series("nvidia_smi_utilization_memory_ratio", "uuid", UUID), 0.0);
        expected.put(series("nvidia_smi_memory_total_bytes", "uuid", UUID), 81559.0 * MIB);
        expected.put(series("nvidia_smi_memory_used_bytes", "uuid", UUID), 0.0);
        expected.put(series("nvidia_smi_memory_free_bytes", "uuid", UUID), 81081.0 * MIB);
        expected.put(series("nvidia_smi_temperature_gpu", "uuid", UUID), 41.0);
        expected.put(series("nvidia_smi_power_draw_watts", "uuid", UUID), 69.85);
        expected.put(series("nvidia_smi_enforced_power_limit_watts", "uuid", UUID), 700.0);
        expected.put(series("nvidia_smi_clocks_current_sm_clock_hz", "uuid", UUID), 345e6);
        expected.put(series("nvidia_smi_clocks_current_memory_clock_hz", "uuid", UUID), 2619e6);
        expected.put(series("nvidia_smi_clocks_current_graphics_clock_hz", "uuid", UUID), 345e6);
        expected.put(series("nvidia_smi_pstate", "uuid", UUID), 0.0);
        expected.put(series("nvidia_smi_ecc_errors_corrected_volatile_total", "uuid", UUID), 0.0);
        expected.put(series("nvidia_smi_ecc_errors_uncorrected_volatile_total", "uuid", UUID), 0.0);
        expected.put(series("nvidia_smi_ecc_errors_corrected_aggregate_total", "uuid", UUID), 0.0);
        expected.put(series("nvidia_smi_ecc_errors_uncorrected_aggregate_total", "uuid", UUID), 0.0);
        expected.put("nvidia_smi_last_collect_success", 1.0);
        expected.put("nvidia_smi_command_exit_code", 0.0);
        Map<String, Double> gpu = scrape.startingWith("nvidia_smi_");
        double duration = gpu.remove("nvidia_smi_last_collect_duration_seconds");
        assertEquals(expected, gpu);
        assertTrue(duration > 0 && duration < 5, "collect duration " + duration);

        assertEquals("gauge", scrape.types().get("nvidia_smi_gpu_info"));
        assertEquals("counter", scrape.types().get("nvidia_smi_ecc_errors_corrected_volatile_total"));
        assertEquals("gauge", scrape.types().get("nvidia_smi_temperature_gpu"));
    }

    @Test
    void unitsAreOneHotOverTheActiveStatesWithHealthAndRestarts() {
        Exposition healthy = scrape();
        for (String service : SERVICES) {
            String unit = service + ".service";
            for (String state : List.of("active", "activating", "deactivating", "inactive", "failed", "reloading")) {
                assertEquals(state.equals("active") ? 1.0 : 0.0,
                        healthy.value(series("system_status_unit_state", "service", service, "unit", unit, "state", state)));
            }
            assertEquals(1.0, healthy.value(series("system_status_unit_healthy", "service", service, "unit", unit)));
            assertEquals(0.0, healthy.value(series("system_status_unit_restarts_total", "service", service, "unit", unit)));
        }
        assertEquals(7 * 6, healthy.startingWith("system_status_unit_state{").size());
        assertEquals(1.0, healthy.value("system_status_overview_ok"));
        assertEquals("counter", healthy.types().get("system_status_unit_restarts_total"));

        fakes.systemctlPerUnit("sed -e 1d -e '$d' -e 's/^NRestarts=.*/NRestarts=4/' '"
                + FakeBinaries.fixture("systemd/show-failed.txt") + "'");
        Exposition failed = scrape();
        String k3s = "k3s.service";
        assertEquals(1.0, failed.value(series("system_status_unit_state", "service", "k3s", "unit", k3s, "state", "failed")));
        assertEquals(0.0, failed.value(series("system_status_unit_state", "service", "k3s", "unit", k3s, "state", "active")));
        assertEquals(0.0, failed.value(series("system_status_unit_healthy", "service", "k3s", "unit", k3s)));
        assertEquals(4.0, failed.value(series("system_status_unit_restarts_total", "service", "k3s", "unit", k3s)));
        assertEquals(0.0, failed.value("system_status_overview_ok"));
    }

    @Test
    void eightGpusGetOneSeriesEachUnderTheirUuid() {
        List<GpuSample> h100s = GpuDetailParser.parse(Fixtures.read("nvidia-smi-q/nvidia-smi-query.535.183.01.out.0.valid"));
        fakes.replayGpus(GpuQueryCsv.render(h100s));

        Exposition scrape = scrape();

        assertEquals(8, scrape.startingWith("nvidia_smi_gpu_info{").size());
        assertEquals(8, scrape.startingWith("nvidia_smi_temperature_gpu{").size());
        for (GpuSample gpu : h100s) {
            assertEquals(1.0, scrape.value(series("nvidia_smi_gpu_info", "uuid", gpu.uuid(), "name", "NVIDIA H100 80GB HBM3",
                    "index", gpu.index().toString(), "pci_bus_id", gpu.pciBusId(), "driver_version", "535.183.01",
                    "vbios_version", "96.00.74.00.01", "compute_cap", "")));
            assertEquals(gpu.temperatureGpuCelsius(), scrape.value(series("nvidia_smi_temperature_gpu", "uuid", gpu.uuid())));
            assertEquals(gpu.powerDrawWatts(), scrape.value(series("nvidia_smi_power_draw_watts", "uuid", gpu.uuid())));
        }
        assertEquals(74.76, scrape.value(series("nvidia_smi_power_draw_watts", "uuid", "GPU-7e78e6c8-c71c-66c7-9ded-f8836cecab32")));
    }

    @Test
    void migModeLeavesUtilizationOutRatherThanZero() {
        fakes.replayGpus(GpuQueryCsv.fromCapturedCsv("nvidia-smi-query-gpu-csv/linux-x86_64__nvidia-h100-mig__590.48.01__load.csv"));

        Exposition scrape = scrape();

        assertFalse(scrape.names().contains("nvidia_smi_utilization_gpu_ratio"), scrape.names().toString());
        assertFalse(scrape.names().contains("nvidia_smi_utilization_memory_ratio"));
        assertEquals(11125.0 * MIB, scrape.value(series("nvidia_smi_memory_used_bytes", "uuid", UUID)));
        assertEquals(433.78, scrape.value(series("nvidia_smi_power_draw_watts", "uuid", UUID)));
        assertEquals(1.0, scrape.value("nvidia_smi_last_collect_success"));
    }

    @Test
    void anUnreadableValueIsLeftOutForThatGpuOnly() {
        String h100 = GpuQueryCsv.fromCapturedCsv(FakeBinaries.H100_IDLE_CSV).strip();
        String second = h100.replace(UUID, "GPU-11111111-1111-1111-1111-111111111111")
                .replaceFirst("^0,", "1,").replace(", 41, 69.85,", ", [Unknown Error], ERR!,");
        fakes.replayGpus(h100 + "\n" + second + "\n");

        Exposition scrape = scrape();

        assertEquals(Map.of(series("nvidia_smi_temperature_gpu", "uuid", UUID), 41.0),
                scrape.startingWith("nvidia_smi_temperature_gpu"));
        assertEquals(Map.of(series("nvidia_smi_power_draw_watts", "uuid", UUID), 69.85),
                scrape.startingWith("nvidia_smi_power_draw_watts"));
        assertEquals(2, scrape.startingWith("nvidia_smi_memory_total_bytes").size());
        assertEquals(2, scrape.startingWith("nvidia_smi_enforced_power_limit_watts").size());
    }

    @Test
    void failedCommandsShowInTheCollectorAndRunMetrics() {
        fakes.script("nvidia-smi", "echo 'NVIDIA-SMI has failed because it couldn''t communicate with the NVIDIA driver.'; exit 9");
        try (RunningAgent broken = new RunningAgent(Map.of(
                "status.commands.nvidia-smi", fakes.dir().resolve("nvidia-smi").toString(),
                "status.commands.systemctl", fakes.dir().resolve("absent").resolve("systemctl").toString(),
                "status.commands.journalctl", fakes.dir().resolve("journalctl").toString()))) {
            RunningAgent.Reply reply = broken.get("/metrics");
            Exposition scrape = Exposition.parse(reply.body());

            assertEquals(0.0, scrape.value("nvidia_smi_last_collect_success"));
            assertEquals(9.0, scrape.value("nvidia_smi_command_exit_code"));
            assertFalse(scrape.names().contains("nvidia_smi_gpu_info"));
            assertFalse(scrape.names().contains("nvidia_smi_temperature_gpu"));
            assertEquals(1.0, scrape.value(series("system_status_command_runs_total", "command", "nvidia-smi", "outcome", "exit_nonzero")));
            assertEquals(1.0, scrape.value(series("system_status_command_runs_total", "command", "systemctl", "outcome", "missing_binary")),
                    "one systemctl for all seven units");
            assertEquals(0.0, scrape.value(series("system_status_command_runs_total", "command", "systemctl", "outcome", "ok")));
            assertEquals(1.0, scrape.value(series("system_status_command_duration_seconds_count", "command", "nvidia-smi", "outcome", "exit_nonzero")));
            assertEquals(0.0, scrape.value(series("system_status_unit_healthy", "service", "k3s", "unit", "k3s.service")));
            assertTrue(scrape.startingWith("system_status_unit_state").isEmpty(), "no state is known for any unit");
            assertEquals(0.0, scrape.value("system_status_overview_ok"));
        }
    }

    @Test
    void runMetricsCountEveryProcessOnce() {
        scrape();
        Exposition first = scrape();
        assertEquals(2.0, first.value(series("system_status_command_runs_total", "command", "systemctl", "outcome", "ok")),
                "one systemctl for all seven units per collection");
        assertEquals(2.0, first.value(series("system_status_command_runs_total", "command", "nvidia-smi", "outcome", "ok")));
        assertEquals(2.0, first.value(series("system_status_command_duration_seconds_count", "command", "nvidia-smi", "outcome", "ok")));
        assertEquals(2.0, first.value(series("system_status_command_duration_seconds_bucket", "command", "nvidia-smi", "outcome", "ok", "le", "+Inf")));
        assertEquals(0.0, first.value(series("system_status_command_runs_total", "command", "journalctl", "outcome", "timeout")),
                "every command/outcome pair exists from the start");

        fakes.clearArgv();
        agent.get("/overview");
        agent.get("/services/k3s/logs");
        Exposition after = scrape();
        List<String> argv = fakes.argv();
        assertEquals(3 + 1 + 2, argv.size(), "the overview's commands, journalctl, the scrape's set: " + argv);
        for (String program : List.of("systemctl", "journalctl", "nvidia-smi")) {
            long processes = argv.stream().filter(line -> line.startsWith(program + " ") || line.equals(program)).count();
            double before = first.samples().getOrDefault(series("system_status_command_runs_total", "command", program, "outcome", "ok"), 0.0);
            assertEquals(before + processes, after.value(series("system_status_command_runs_total", "command", program, "outcome", "ok")), program);
        }
    }
}
