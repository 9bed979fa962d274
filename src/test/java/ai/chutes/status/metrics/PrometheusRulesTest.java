package ai.chutes.status.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.RunningAgent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped rules (docs/prometheus) pass {@code promtool check rules} and their own
 * {@code promtool test rules}; and node-mixin's systemd alerts, with only the metric name changed, fire on
 * a failed and on a crash-looping unit whose series come from real scrapes of the agent: one scrape
 * stands for one minute of a unit that systemd restarts three times a minute.
 */
class PrometheusRulesTest {

    private static final Path RULES = Path.of("docs", "prometheus");

    @TempDir
    Path dir;

    @Test
    void theShippedRulesPassTheirPromtoolTests() throws Exception {
        assertEquals(0, promtool("check", "rules", RULES.resolve("system-status.rules.yml").toString()).exit());
        assertEquals(0, promtool("check", "rules", RULES.resolve("node-mixin-systemd.rules.yml").toString()).exit());
        Result tests = promtool("test", "rules", RULES.resolve("system-status.rules.test.yml").toString());
        assertEquals(0, tests.exit(), tests.output());
    }

    @Test
    void nodeMixinsSystemdAlertsFireOnTheAgentsSeries() throws Exception {
        Path counter = dir.resolve("restarts");
        FakeBinaries fakes = new FakeBinaries(dir);
        fakes.script("systemctl", "n=$(cat '" + counter + "' 2>/dev/null || echo 0); n=$((n+3)); echo $n > '" + counter + "'\n"
                + "sed -e 1d -e '$d' -e \"s/^NRestarts=.*/NRestarts=$n/\" '" + FakeBinaries.fixture("systemd/show-failed.txt") + "'");
        Map<String, Object> properties = new HashMap<>(fakes.properties());
        properties.put("status.services", List.of(Map.of("id", "k3s", "unit", "k3s.service")));
        properties.put("status.metrics.min-interval", "0s");
        properties.put("status.cache-ttl", "0s");
        String failed = null;
        String restarts = null;
        List<String> restartValues = new ArrayList<>();
        try (RunningAgent agent = new RunningAgent(properties)) {
            for (int minute = 0; minute < 25; minute++) {
                Exposition scrape = Exposition.parse(agent.get("/metrics").body());
                failed = only(scrape.startingWith("system_status_unit_state{").keySet().stream().filter(s -> s.contains("state=\"failed\"")).toList());
                restarts = only(List.copyOf(scrape.startingWith("system_status_unit_restarts_total{").keySet()));
                assertEquals(1.0, scrape.value(failed));
                restartValues.add(Long.toString((long) scrape.value(restarts)));
            }
        }
        String test = """
                rule_files:
                  - %s
                evaluation_interval: 1m
                tests:
                  - interval: 1m
                    input_series:
                      - series: '%s'
                        values: '1x24'
                      - series: '%s'
                        values: '%s'
                    alert_rule_test:
                      - eval_time: 6m
                        alertname: NodeSystemdServiceFailed
                        exp_alerts:
                          - exp_labels: {severity: warning, job: node, instance: "gpu-node:8080", service: k3s, name: k3s.service, type: service, state: failed}
                            exp_annotations:
                              summary: Systemd service has entered failed state.
                              description: Systemd service k3s.service has entered failed state at gpu-node:8080
                      - eval_time: 22m
                        alertname: NodeSystemdServiceCrashlooping
                        exp_alerts:
                          - exp_labels: {severity: warning, job: node, instance: "gpu-node:8080", service: k3s, name: k3s.service, type: service}
                            exp_annotations:
                              summary: Systemd service keeps restaring, possibly crash looping.
                              description: Systemd service k3s.service has being restarted too many times at gpu-node:8080 for the last 15 minutes. Please check if service is crash looping.
                """.formatted(RULES.resolve("node-mixin-systemd.rules.yml").toAbsolutePath(), scraped(failed), scraped(restarts),
                String.join(" ", restartValues));
        Path testFile = dir.resolve("node-mixin.test.yml");
        Files.writeString(testFile, test);
        Result result = promtool("test", "rules", testFile.toString());
        assertEquals(0, result.exit(), result.output());
        assertTrue(result.output().contains("SUCCESS"), result.output());
    }

    /** The scraped series as Prometheus stores it: with the job and instance labels of its scrape. */
    private static String scraped(String series) {
        return series.replace("{", "{job=\"node\",instance=\"gpu-node:8080\",");
    }

    private static String only(List<String> series) {
        assertEquals(1, series.size(), series.toString());
        return series.get(0);
    }

    private record Result(int exit, String output) {
    }

    static Result promtool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("promtool is not installed (apt-get install prometheus): " + e.getMessage());
            throw e;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        return new Result(process.exitValue(), output);
    }
}
