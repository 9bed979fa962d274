package ai.chutes.status.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.GpuCapture;
import ai.chutes.status.RunningAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * For every real capture, the agent's per-GPU {@code nvidia_smi_*} series (every series with a
 * {@code uuid} label but the XID ones, which the exporter's exec backend does not serve) equal, in
 * names, labels and values, the set nvidia_gpu_exporter serves for the same nvidia-smi output, checked
 * in under src/test/resources/golden/nvidia-gpu-exporter (produced by src/test/golden/exporter_port.py,
 * an independent port of the exporter's Go source; see docs/gpu-metrics.md). One agent per field list
 * (machine), answering each of its captures in turn through the fake nvidia-smi. The only exception:
 * the seven exporter names promtool's lint rejects, which the agent leaves out.
 */
class GoldenSeriesTest {

    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden", "nvidia-gpu-exporter");

    /** The exporter names promtool check metrics rejects, which the agent does not serve. */
    private static final List<String> LINT_REJECTED = List.of("nvidia_smi_count", "nvidia_smi_encoder_stats_session_count",
            "nvidia_smi_remapped_rows_histogram_max", "nvidia_smi_remapped_rows_histogram_high",
            "nvidia_smi_remapped_rows_histogram_partial", "nvidia_smi_remapped_rows_histogram_low",
            "nvidia_smi_remapped_rows_histogram_none");

    @TempDir
    Path dir;

    @Test
    void theAgentServesTheExportersSeriesForEveryCapture() throws Exception {
        List<String> report = new ArrayList<>();
        for (String machine : GpuCapture.MACHINES) {
            check(List.of(GpuCapture.of(machine, "idle"), GpuCapture.of(machine, "load")), report);
        }
        GpuCapture four = GpuCapture.fourGpus();
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "four-gpus.csv"), four.csv()); // the input of regenerate.sh
        check(List.of(four), report);
        System.out.println("series per capture (agent's uuid series = exporter's):\n" + String.join("\n", report));
    }

    private void check(List<GpuCapture> captures, List<String> report) throws IOException {
        Path machineDir = Files.createTempDirectory(dir, "machine");
        FakeBinaries fakes = new FakeBinaries(machineDir).replayGpus(captures.get(0));
        Map<String, Object> properties = new HashMap<>(fakes.properties());
        properties.put("status.cache-ttl", "0s");
        properties.put("status.metrics.min-interval", "0s");
        try (RunningAgent agent = new RunningAgent(properties)) {
            for (GpuCapture capture : captures) {
                fakes.replayGpus(capture);
                Map<String, Double> agentSeries = perGpu(Exposition.parse(agent.get("/metrics").body()).samples());
                Map<String, Double> exporter = perGpu(Exposition.parse(Files.readString(GOLDEN.resolve(capture.name() + ".prom"))).samples());
                Map<String, Double> golden = new TreeMap<>(exporter);
                golden.keySet().removeIf(series -> LINT_REJECTED.contains(series.substring(0, series.indexOf('{'))));
                assertTrue(golden.size() > 50, capture.name() + " golden file is too small to mean anything");
                TreeSet<String> missing = new TreeSet<>(golden.keySet());
                missing.removeAll(agentSeries.keySet());
                TreeSet<String> extra = new TreeSet<>(agentSeries.keySet());
                extra.removeAll(golden.keySet());
                assertEquals("", (missing.isEmpty() ? "" : "missing " + missing) + (extra.isEmpty() ? "" : " extra " + extra),
                        capture.name() + ": series differ");
                golden.forEach((series, value) -> assertEquals(value, agentSeries.get(series),
                        Math.abs(value) * 1e-12, capture.name() + " " + series));
                report.add(capture.name() + ": agent " + agentSeries.size() + ", exporter " + exporter.size()
                        + " (" + (exporter.size() - golden.size()) + " the agent leaves out: promtool's lint rejects their names)");
            }
        }
    }

    private static Map<String, Double> perGpu(Map<String, Double> samples) {
        Map<String, Double> perGpu = new TreeMap<>();
        samples.forEach((series, value) -> {
            if (series.startsWith("nvidia_smi_") && series.contains("uuid=\"") && !series.startsWith("nvidia_smi_xid_")) {
                perGpu.put(series, value);
            }
        });
        return perGpu;
    }
}
