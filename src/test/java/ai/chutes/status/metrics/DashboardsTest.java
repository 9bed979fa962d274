package ai.chutes.status.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.Fixtures;
import ai.chutes.status.GpuCapture;
import ai.chutes.status.RunningAgent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three public dashboards of nvidia_gpu_exporter (fixtures/grafana), unchanged, against a real
 * Prometheus scraping three agents that replay real captures: four GPUs (H100 and H200 rows, driver
 * 590.48.01, which lacks fields of newer drivers), an H100 in MIG mode, and an L40S (driver 595.80,
 * which dropped the power-smoothing fields). For every agent, every template variable resolves, and
 * every panel query whose series nvidia_gpu_exporter's exec backend would serve for that capture (it
 * names one of the exporter's series and none of its NVML-only families: MIG, per-process, energy,
 * PCIe throughput, XID) returns data. The agent's own dashboard (docs/grafana) is checked the same way.
 */
class DashboardsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DASHBOARDS = List.of("dashboard-14574-classic.json", "dashboard-14574-current.json",
            "dashboard-25547-overview.json");
    private static final Pattern NAME = Pattern.compile("nvidia_smi_[a-z0-9_]*");
    private static final List<String> NVML_ONLY = List.of("nvidia_smi_mig_", "nvidia_smi_compute_app", "nvidia_smi_energy_",
            "nvidia_smi_pcie_throughput_", "nvidia_smi_xid_");
    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.*),\\s*(\\w+)\\)$");
    private static final Pattern QUERY_RESULT = Pattern.compile("^query_result\\((.*)\\)$", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void everyVariableResolvesAndEveryPanelTheExporterWouldFillHasData() throws Exception {
        Map<String, GpuCapture> captures = new LinkedHashMap<>();
        captures.put("four-gpus__h100-h200__590.48.01", GpuCapture.fourGpus());
        captures.put(GpuCapture.H100_MIG + "__load", GpuCapture.of(GpuCapture.H100_MIG, "load"));
        captures.put(GpuCapture.L40S + "__load", GpuCapture.of(GpuCapture.L40S, "load"));
        List<RunningAgent> agents = new ArrayList<>();
        Map<String, String> captureByInstance = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, GpuCapture> capture : captures.entrySet()) {
                FakeBinaries fakes = new FakeBinaries(Files.createTempDirectory(dir, "agent")).replayGpus(capture.getValue());
                Map<String, Object> properties = new HashMap<>(fakes.properties());
                properties.put("status.metrics.min-interval", "1s");
                RunningAgent agent = new RunningAgent(properties);
                agents.add(agent);
                captureByInstance.put("127.0.0.1:" + agent.port(), capture.getKey());
            }
            Path promDir = Files.createTempDirectory(dir, "prometheus");
            try (RealPrometheus prometheus = new RealPrometheus(promDir, "system-status", List.copyOf(captureByInstance.keySet()))) {
                prometheus.awaitScrapes(agents.size(), Duration.ofSeconds(30));
                List<String> table = new ArrayList<>();
                table.add("| dashboard | capture | variables resolved | queries | exporter would fill | return data | filled-but-empty |");
                table.add("|---|---|---|---|---|---|---|");
                List<String> failures = new ArrayList<>();
                for (String file : DASHBOARDS) {
                    JsonNode dashboard = JSON.readTree(Fixtures.read("grafana/" + file));
                    for (Map.Entry<String, String> instance : captureByInstance.entrySet()) {
                        Set<String> served = exporterSeries(instance.getValue());
                        evaluate(prometheus, file, dashboard, instance.getKey(), instance.getValue(), served, table, failures);
                    }
                }
                ownDashboard(prometheus, List.copyOf(captureByInstance.keySet()).get(0), table, failures);
                System.out.println("Dashboards against a real Prometheus:\n" + String.join("\n", table));
                assertEquals(List.of(), failures);
            }
        } finally {
            agents.forEach(RunningAgent::close);
        }
    }

    private static void evaluate(RealPrometheus prometheus, String file, JsonNode dashboard, String instance, String capture,
            Set<String> served, List<String> table, List<String> failures) throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        int variables = 0;
        int resolved = 0;
        for (JsonNode variable : dashboard.at("/templating/list")) {
            if (!"query".equals(variable.path("type").asText())) {
                continue;
            }
            variables++;
            String name = variable.get("name").asText();
            JsonNode query = variable.get("query");
            String text = substitute(query.isTextual() ? query.asText() : query.get("query").asText(), values);
            List<String> options = options(prometheus, text, name);
            String chosen = switch (name) {
                case "job" -> options.contains("system-status") ? "system-status" : null;
                case "node" -> options.contains(instance) ? instance : null;
                default -> options.isEmpty() ? null : options.get(0);
            };
            if (chosen == null) {
                failures.add(file + " " + capture + ": variable " + name + " does not resolve (" + text + " gave " + options + ")");
                continue;
            }
            resolved++;
            values.put(name, chosen);
        }
        int queries = 0;
        int expected = 0;
        int withData = 0;
        int missing = 0;
        for (String expr : targets(dashboard.get("panels"), new ArrayList<>())) {
            queries++;
            String promql = substitute(expr, values);
            boolean data = prometheus.query(promql).at("/data/result").size() > 0;
            withData += data ? 1 : 0;
            if (exporterWouldFill(expr, served)) {
                expected++;
                if (!data) {
                    missing++;
                    failures.add(file + " " + capture + ": no data for " + promql);
                }
            }
        }
        table.add("| " + file + " | " + capture + " | " + resolved + "/" + variables + " | " + queries + " | " + expected + " | "
                + withData + " | " + missing + " |");
    }

    /**
     * The agent's own dashboard (docs/grafana): its variables resolve and every query is valid PromQL
     * with data, but the XID table (these captures have no XID).
     */
    private static void ownDashboard(RealPrometheus prometheus, String instance, List<String> table, List<String> failures)
            throws Exception {
        JsonNode dashboard = JSON.readTree(Files.readString(Path.of("docs", "grafana", "system-status-dashboard.json")));
        Map<String, String> values = new LinkedHashMap<>();
        for (JsonNode variable : dashboard.at("/templating/list")) {
            if ("query".equals(variable.path("type").asText())) {
                List<String> options = options(prometheus, substitute(variable.at("/query/query").asText(), values), variable.get("name").asText());
                if (options.isEmpty()) {
                    failures.add("own dashboard: variable " + variable.get("name").asText() + " does not resolve");
                    return;
                }
                values.put(variable.get("name").asText(), variable.get("name").asText().equals("instance") ? instance : options.get(0));
            }
        }
        int queries = 0;
        int withData = 0;
        for (String expr : targets(dashboard.get("panels"), new ArrayList<>())) {
            queries++;
            boolean data = prometheus.query(substitute(expr, values)).at("/data/result").size() > 0;
            withData += data ? 1 : 0;
            if (!data && !expr.contains("nvidia_smi_xid_")) {
                failures.add("own dashboard: no data for " + expr);
            }
        }
        table.add("| docs/grafana/system-status-dashboard.json | four-gpus__h100-h200__590.48.01 | " + values.size() + "/2 | "
                + queries + " | " + (queries - 1) + " | " + withData + " | " + (queries - 1 - Math.min(withData, queries - 1)) + " |");
    }

    private static List<String> options(RealPrometheus prometheus, String text, String name) throws Exception {
        List<String> options = new ArrayList<>();
        Matcher labelValues = LABEL_VALUES.matcher(text.trim());
        Matcher queryResult = QUERY_RESULT.matcher(text.trim());
        if (labelValues.matches()) {
            prometheus.labelValues(labelValues.group(2), labelValues.group(1).trim()).get("data").forEach(v -> options.add(v.asText()));
        } else if (queryResult.matches()) {
            // The dashboards read the GPU picker's value from uuid and its text from gpu_label.
            for (JsonNode series : prometheus.query(queryResult.group(1)).at("/data/result")) {
                JsonNode metric = series.get("metric");
                if (metric.hasNonNull("uuid") && metric.hasNonNull("gpu_label")) {
                    options.add(metric.get("uuid").asText());
                }
            }
        } else {
            throw new AssertionError("variable " + name + " has a query this test cannot evaluate: " + text);
        }
        return options;
    }

    private static List<String> targets(JsonNode panels, List<String> out) {
        if (panels == null) {
            return out;
        }
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr") && !target.get("expr").asText().isBlank()) {
                    out.add(target.get("expr").asText());
                }
            }
            targets(panel.get("panels"), out);
        }
        return out;
    }

    /**
     * One of the exporter's series for the capture is named, and none of its NVML-only families.
     * {@code nvidia_smi_gpu_info} counts only in a query that names nothing else: elsewhere it is the
     * join that adds a GPU's name to a reading, and the reading decides ({@code fan.speed} is
     * {@code [N/A]} on a data-centre GPU, so the exporter serves no fan series there).
     */
    private static boolean exporterWouldFill(String expr, Set<String> served) {
        Set<String> names = new TreeSet<>();
        Matcher name = NAME.matcher(expr);
        while (name.find()) {
            names.add(name.group());
        }
        if (names.stream().anyMatch(found -> NVML_ONLY.stream().anyMatch(found::startsWith))) {
            return false;
        }
        if (names.size() > 1) {
            names.remove("nvidia_smi_gpu_info");
        }
        return names.stream().anyMatch(found -> found.endsWith("_")
                ? served.stream().anyMatch(s -> s.startsWith(found)) : served.contains(found));
    }

    private static String substitute(String text, Map<String, String> values) {
        String out = text.replace("$__rate_interval", "1m");
        for (Map.Entry<String, String> value : values.entrySet()) {
            out = out.replace("${" + value.getKey() + "}", value.getValue()).replace("$" + value.getKey(), value.getValue());
        }
        return out;
    }

    /** The metric names nvidia_gpu_exporter serves for the capture: its golden file, plus gpu_info. */
    private static Set<String> exporterSeries(String capture) throws Exception {
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("src", "test", "resources", "golden", "nvidia-gpu-exporter", capture + ".prom"))) {
            if (!line.isBlank()) {
                names.add(line.substring(0, line.indexOf('{')));
            }
        }
        assertTrue(names.contains("nvidia_smi_gpu_info"));
        assertFalse(names.isEmpty());
        return names;
    }
}
