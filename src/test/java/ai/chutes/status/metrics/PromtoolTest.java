package ai.chutes.status.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.RunningAgent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code promtool check metrics} (Debian package {@code prometheus}) finds nothing to report on real
 * scrapes. Without promtool this test fails rather than skips: CI installs it.
 */
class PromtoolTest {

    @TempDir
    Path dir;

    @Test
    void aScrapeOfAnH100HostLintsClean() throws Exception {
        FakeBinaries fakes = new FakeBinaries(dir);
        Map<String, Object> properties = new HashMap<>(fakes.properties());
        // The push channel on, dialing a port where nothing listens: its series are linted too.
        properties.put("status.push.enabled", true);
        properties.put("status.push.address", "tcp://127.0.0.1:1");
        try (RunningAgent agent = new RunningAgent(properties)) {
            agent.get("/overview");
            agent.get("/services/k3s/logs");
            RunningAgent.Reply scrape = agent.get("/metrics");
            assertEquals(200, scrape.status());
            assertTrue(scrape.body().contains("nvidia_smi_gpu_info{"), "the scrape has GPU series");
            assertTrue(scrape.body().contains("system_status_push_connected 0.0"), "the scrape has push series");
            assertTrue(scrape.body().contains("system_status_push_connect_failures_total "), "the scrape has push counters");
            assertPromtoolFindsNothing(scrape.body());
        }
    }

    @Test
    void aScrapeOfADegradedHostLintsClean() throws Exception {
        FakeBinaries fakes = new FakeBinaries(dir).missing("nvidia-smi").replaySystemd("systemctl", "show-failed.txt");
        Map<String, Object> properties = new HashMap<>(fakes.properties());
        try (RunningAgent agent = new RunningAgent(properties)) {
            RunningAgent.Reply scrape = agent.get("/metrics");
            assertTrue(scrape.body().contains("nvidia_smi_last_collect_success 0"), "the scrape shows the failure");
            assertPromtoolFindsNothing(scrape.body());
        }
    }

    private static void assertPromtoolFindsNothing(String exposition) throws IOException, InterruptedException {
        Process promtool;
        try {
            promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("promtool is not installed (apt-get install prometheus); it checks the /metrics text: " + e.getMessage());
            return;
        }
        try (OutputStream stdin = promtool.getOutputStream()) {
            stdin.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String report = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(promtool.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals("", report, "promtool check metrics reported problems");
        assertEquals(0, promtool.exitValue());
    }
}
