package ai.chutes.status.metrics;

import static ai.chutes.status.metrics.Exposition.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.GpuCapture;
import ai.chutes.status.RunningAgent;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} scraped over HTTP from an agent whose commands are fake processes replaying captures. */
class MetricsEndpointTest {

    private static final long MIB = 1024L * 1024L;
    /** The exporter's uuid label of the masked captures: lower case, no "GPU-". */
    private static final String UUID = "00000000-0000-0000-0000-000000000000";
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
    void anH100ServesTheDashboardsSeries() {
        Exposition scrape = scrape();

        assertEquals(1.0, scrape.value(series("nvidia_smi_gpu_info", "uuid", UUID, "name", "NVIDIA H100 80GB HBM3", "index", "0",
                "pci_bus_id", "00000000:00:09.0", "driver_version", "590.48.01", "vbios_version", "96.00.A5.00.01",
                "compute_cap", "9.0", "driver_model_current", "[N/A]", "driver_model_pending", "[N/A]",
                "serial", "0000000000000", "pci_sub_device_id", "0x16C110DE")));
        assertEquals(0.0, scrape.value(series("nvidia_smi_index", "uuid", UUID)), "the dashboards' job variable");
        assertEquals(81559.0 * MIB, scrape.value(series("nvidia_smi_memory_total_bytes", "uuid", UUID)));
        assertEquals(41.0, scrape.value(series("nvidia_smi_temperature_gpu", "uuid", UUID)));
        assertEquals(48.0, scrape.value(series("nvidia_smi_temperature_memory", "uuid", UUID)));
        assertEquals(69.85, scrape.value(series("nvidia_smi_power_draw_watts", "uuid", UUID)));
        assertEquals(1980e6, scrape.value(series("nvidia_smi_clocks_max_graphics_clock_hz", "uuid", UUID)));
        assertEquals(0.0, scrape.value(series("nvidia_smi_clocks_event_reasons_hw_thermal_slowdown", "uuid", UUID)));
        assertEquals(0.0, scrape.value(series("nvidia_smi_remapped_rows_pending", "uuid", UUID)));
        assertEquals(0.0, scrape.value(series("nvidia_smi_gpu_recovery_action", "uuid", UUID)));
        assertEquals(3.0, scrape.value(series("nvidia_smi_fabric_state", "uuid", UUID)), "Completed");
        assertEquals(5.0, scrape.value(series("nvidia_smi_pcie_link_gen_current", "uuid", UUID)));
        assertFalse(scrape.names().contains("nvidia_smi_retired_pages_pending"), "[N/A] is left out, never 0");
        assertEquals(1.0, scrape.value("nvidia_smi_last_collect_success"));
        assertEquals(0.0, scrape.value("nvidia_smi_command_exit_code"));
        assertTrue(scrape.startingWith("nvidia_smi_").size() > 120, "the exporter's ~127 per-GPU series");

        assertEquals("gauge", scrape.types().get("nvidia_smi_gpu_info"));
        assertEquals("counter", scrape.types().get("nvidia_smi_ecc_errors_corrected_volatile_total"));
        assertEquals("gauge", scrape.types().get("nvidia_smi_temperature_gpu"));
    }

    /** The JVM's memory, thread and class meters, and none of the GC's (their listener ran after every collection). */
    @Test
    void theJvmMetersAreThoseReadAtScrapeTime() {
        Exposition scrape = scrape();
        for (String name : List.of("jvm_memory_used_bytes", "jvm_buffer_memory_used_bytes", "jvm_threads_live_threads",
                "jvm_classes_loaded_classes", "process_cpu_usage", "process_uptime_seconds", "logback_events_total")) {
            assertTrue(scrape.names().contains(name), name + " in " + scrape.names());
        }
        assertEquals(Map.of(), scrape.startingWith("jvm_gc_"));
    }

    @Test
    void unitsAreOneHotOverTheActiveStatesWithHealthAndRestarts() {
        Exposition healthy = scrape();
        for (String service : SERVICES) {
            String unit = service + ".service";
            for (String state : List.of("activating", "active", "deactivating", "failed", "inactive")) {
                assertEquals(state.equals("active") ? 1.0 : 0.0, healthy.value(series("system_status_unit_state",
                        "service", service, "name", unit, "state", state, "type", "service")));
            }
            assertEquals(1.0, healthy.value(series("system_status_unit_healthy", "service", service, "name", unit, "type", "service")));
            assertEquals(0.0, healthy.value(series("system_status_unit_restarts_total", "service", service, "name", unit, "type", "service")));
        }
        assertEquals(7 * 5, healthy.startingWith("system_status_unit_state{").size(), "node_exporter's five states");
        assertEquals(1.0, healthy.value("system_status_overview_ok"));
        assertEquals("counter", healthy.types().get("system_status_unit_restarts_total"));

        fakes.systemctlPerUnit("sed -e 1d -e '$d' -e 's/^NRestarts=.*/NRestarts=4/' '"
                + FakeBinaries.fixture("systemd/show-failed.txt") + "'");
        Exposition failed = scrape();
        String k3s = "k3s.service";
        assertEquals(1.0, failed.value(series("system_status_unit_state", "service", "k3s", "name", k3s, "state", "failed", "type", "service")));
        assertEquals(0.0, failed.value(series("system_status_unit_state", "service", "k3s", "name", k3s, "state", "active", "type", "service")));
        assertEquals(0.0, failed.value(series("system_status_unit_healthy", "service", "k3s", "name", k3s, "type", "service")));
        assertEquals(4.0, failed.value(series("system_status_unit_restarts_total", "service", "k3s", "name", k3s, "type", "service")));
        assertEquals(0.0, failed.value("system_status_overview_ok"));

        fakes.systemctlPerUnit("sed -e 1d -e '$d' -e 's/^ActiveState=.*/ActiveState=reloading/' '"
                + FakeBinaries.fixture("systemd/show-running.txt") + "'");
        Exposition reloading = scrape();
        assertEquals(1.0, reloading.value(series("system_status_unit_state", "service", "k3s", "name", k3s, "state", "reloading", "type", "service")),
                "a state outside node_exporter's set still shows as 1");
        assertEquals(7 * 6, reloading.startingWith("system_status_unit_state{").size());
    }

    @Test
    void fourGpusGetOneSeriesEachUnderTheirUuid() {
        fakes.replayGpus(GpuCapture.fourGpus());

        Exposition scrape = scrape();

        assertEquals(4, scrape.startingWith("nvidia_smi_gpu_info{").size());
        assertEquals(4, scrape.startingWith("nvidia_smi_index{").size());
        for (int i = 0; i < 4; i++) {
            assertEquals(i, scrape.value(series("nvidia_smi_index", "uuid", "00000000-0000-0000-0000-00000000000" + i)));
        }
        assertEquals(631.95, scrape.value(series("nvidia_smi_power_draw_watts", "uuid", "00000000-0000-0000-0000-000000000001")));
    }

    @Test
    void migModeLeavesUtilizationOutRatherThanZero() {
        fakes.replayGpus(GpuCapture.of(GpuCapture.H100_MIG, "load"));

        Exposition scrape = scrape();

        assertFalse(scrape.names().contains("nvidia_smi_utilization_gpu_ratio"), scrape.names().toString());
        assertFalse(scrape.names().contains("nvidia_smi_utilization_memory_ratio"));
        assertEquals(11125.0 * MIB, scrape.value(series("nvidia_smi_memory_used_bytes", "uuid", UUID)));
        assertEquals(433.78, scrape.value(series("nvidia_smi_power_draw_watts", "uuid", UUID)));
        assertEquals(1.0, scrape.value("nvidia_smi_last_collect_success"));
    }

    @Test
    void anUnreadableValueIsLeftOutForThatGpuOnly() {
        GpuCapture h100 = GpuCapture.h100Idle();
        String[] lines = h100.csv().strip().split("\n");
        // A second GPU: the same captured row with another uuid, and two readings nvidia-smi could not take.
        String second = lines[1].replace("GPU-00000000-0000-0000-0000-000000000000", "GPU-11111111-1111-1111-1111-111111111111")
                .replace(", 41, 46, 48, [Requested functionality has been deprecated], 69.85 W,",
                        ", [Unknown Error], 46, 48, [Requested functionality has been deprecated], ERR!,");
        assertFalse(second.equals(lines[1].replace("GPU-00000000-0000-0000-0000-000000000000", "GPU-11111111-1111-1111-1111-111111111111")),
                "the edit must hit the captured temperature and power");
        fakes.replayGpus(new GpuCapture("two", lines[0] + "\n" + lines[1] + "\n" + second + "\n", h100.helpQueryGpu()));

        Exposition scrape = scrape();

        assertEquals(Map.of(series("nvidia_smi_temperature_gpu", "uuid", UUID), 41.0),
                scrape.startingWith("nvidia_smi_temperature_gpu{"));
        assertEquals(Map.of(series("nvidia_smi_power_draw_watts", "uuid", UUID), 69.85),
                scrape.startingWith("nvidia_smi_power_draw_watts{"));
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
            // The field list failed, so the typed fields were asked for: two runs, both failing.
            assertEquals(2.0, scrape.value(series("system_status_command_runs_total", "command", "nvidia-smi", "outcome", "exit_nonzero")));
            assertEquals(1.0, scrape.value(series("system_status_command_runs_total", "command", "systemctl", "outcome", "missing_binary")),
                    "one systemctl for all seven units");
            assertEquals(0.0, scrape.value(series("system_status_command_runs_total", "command", "systemctl", "outcome", "ok")));
            assertEquals(2.0, scrape.value(series("system_status_command_duration_seconds_count", "command", "nvidia-smi", "outcome", "exit_nonzero")));
            assertEquals(0.0, scrape.value(series("system_status_unit_healthy", "service", "k3s", "name", "k3s.service", "type", "service")));
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
        // The field list once, then one query per scrape.
        assertEquals(3.0, first.value(series("system_status_command_runs_total", "command", "nvidia-smi", "outcome", "ok")));
        assertEquals(3.0, first.value(series("system_status_command_duration_seconds_count", "command", "nvidia-smi", "outcome", "ok")));
        assertEquals(3.0, first.value(series("system_status_command_duration_seconds_bucket", "command", "nvidia-smi", "outcome", "ok", "le", "+Inf")));
        assertEquals(0.0, first.value(series("system_status_command_runs_total", "command", "journalctl", "outcome", "timeout")),
                "every command/outcome pair exists from the start");

        fakes.clearArgv();
        agent.get("/overview");
        agent.get("/services/k3s/logs");
        Exposition after = scrape();
        List<String> argv = fakes.argv();
        assertEquals(3 + 1 + 2, argv.size(), "the overview's commands (systemctl, summary, GPU query; the kernel journal was"
                + " read within status.gpu.xid-refresh), journalctl, the scrape's set (systemctl, GPU query): " + argv);
        for (String program : List.of("systemctl", "journalctl", "nvidia-smi")) {
            long processes = argv.stream().filter(line -> line.startsWith(program + " ") || line.equals(program)).count();
            double before = first.samples().getOrDefault(series("system_status_command_runs_total", "command", program, "outcome", "ok"), 0.0);
            assertEquals(before + processes, after.value(series("system_status_command_runs_total", "command", program, "outcome", "ok")), program);
        }
    }
}
