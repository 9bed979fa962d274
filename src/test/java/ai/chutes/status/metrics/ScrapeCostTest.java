package ai.chutes.status.metrics;

import static ai.chutes.status.metrics.Exposition.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.RunningAgent;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a scrape costs: shared collections, at most one set of commands per interval, and no wait on a hung nvidia-smi. */
class ScrapeCostTest {

    private static final String GPU_QUERY_PREFIX = "nvidia-smi --query-gpu=";

    @TempDir
    Path dir;

    private static RunningAgent start(FakeBinaries fakes, Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>(fakes.properties());
        // No result cache in the runner: sharing must come from the metrics collection itself.
        properties.put("status.cache-ttl", "0s");
        properties.putAll(extra);
        return new RunningAgent(properties);
    }

    private static List<Integer> concurrentScrapes(RunningAgent agent, int count) {
        HttpRequest request = HttpRequest.newBuilder(agent.uri("/metrics")).timeout(Duration.ofSeconds(10)).build();
        List<CompletableFuture<HttpResponse<String>>> replies = IntStream.range(0, count)
                .mapToObj(i -> agent.client().sendAsync(request, HttpResponse.BodyHandlers.ofString())).toList();
        return replies.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();
    }

    @Test
    void fiftyConcurrentScrapesStartAtMostOneProcessPerCommand() {
        FakeBinaries fakes = new FakeBinaries(dir);
        fakes.systemctlPerUnit("sleep 0.2", "sed -e 1d -e '$d' '" + FakeBinaries.fixture("systemd/show-running.txt") + "'");
        try (RunningAgent agent = start(fakes, Map.of())) {
            for (int i = 0; i < 10; i++) {
                agent.get("/health");
            }
            fakes.clearArgv();

            List<Integer> statuses = concurrentScrapes(agent, 50);

            assertTrue(statuses.stream().allMatch(status -> status == 200), statuses.toString());
            Map<String, Long> runs = fakes.argv().stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertEquals(4, runs.size(), "one systemctl for the 7 units, the GPU field list, the GPU query and the kernel journal: "
                    + runs.keySet());
            runs.forEach((argv, count) -> assertEquals(1L, count, argv));
            assertEquals(1, runs.keySet().stream().filter(argv -> argv.startsWith(GPU_QUERY_PREFIX)).count());

            assertEquals(List.of(200, 200, 200), concurrentScrapes(agent, 3));
            assertEquals(4, fakes.argv().size(), "scrapes within status.metrics.min-interval (10 s) start nothing");
            Exposition scrape = Exposition.parse(agent.get("/metrics").body());
            assertEquals(1.0, scrape.value(series("system_status_command_runs_total", "command", "systemctl", "outcome", "ok")));
            assertEquals(2.0, scrape.value(series("system_status_command_runs_total", "command", "nvidia-smi", "outcome", "ok")),
                    "the field list and the query");
        }
    }

    @Test
    void aNewSetOfCommandsStartsOnlyOnceTheIntervalHasPassed() throws Exception {
        FakeBinaries fakes = new FakeBinaries(dir);
        try (RunningAgent agent = start(fakes, Map.of("status.metrics.min-interval", "1500ms"))) {
            agent.get("/metrics");
            agent.get("/metrics");
            assertEquals(4, fakes.argv().size(), fakes.argv().toString());

            Thread.sleep(1600);
            Exposition scrape = Exposition.parse(agent.get("/metrics").body());

            assertEquals(6, fakes.argv().size(), "systemctl and the GPU query again; the field list is learnt once and the"
                    + " kernel journal read once per status.gpu.xid-refresh (30 s): " + fakes.argv());
            assertEquals(3.0, scrape.value(series("system_status_command_runs_total", "command", "nvidia-smi", "outcome", "ok")));
        }
    }

    @Test
    void aHungNvidiaSmiHidesTheGpuSeriesWhileUnitMetricsAnswerWithinOneSecond() throws Exception {
        FakeBinaries fakes = new FakeBinaries(dir);
        fakes.script("nvidia-smi", "sleep 60");
        try (RunningAgent agent = start(fakes, Map.of("status.command-timeout", "2s", "status.metrics.min-interval", "0s"))) {
            agent.get("/health");
            for (int scrapeNumber = 0; scrapeNumber < 2; scrapeNumber++) {
                long started = System.nanoTime();
                RunningAgent.Reply reply = agent.get("/metrics");
                long tookMs = (System.nanoTime() - started) / 1_000_000;

                assertEquals(200, reply.status());
                assertTrue(tookMs < 1000, "scrape answered after " + tookMs + " ms");
                Exposition scrape = Exposition.parse(reply.body());
                assertEquals(0.0, scrape.value("nvidia_smi_last_collect_success"));
                assertTrue(scrape.startingWith("nvidia_smi_").keySet().equals(java.util.Set.of("nvidia_smi_last_collect_success")),
                        "no GPU series while the only query hangs: " + scrape.startingWith("nvidia_smi_"));
                assertEquals(1.0, scrape.value(series("system_status_unit_healthy", "service", "k3s", "name", "k3s.service", "type", "service")));
                assertEquals(7, scrape.startingWith("system_status_unit_healthy").size());
                assertEquals(0.0, scrape.value("system_status_overview_ok"));
            }
            assertEquals(List.of("nvidia-smi --help-query-gpu"), fakes.argv().stream().filter(argv -> argv.startsWith("nvidia-smi")).toList(),
                    "the hung call (here the field list, which comes first) is shared, never started beside itself");
        }
    }

    @Test
    void aQueryThatHangsAfterWorkingDropsTheGpuSeriesOnceItTimesOut() throws Exception {
        FakeBinaries fakes = new FakeBinaries(dir);
        try (RunningAgent agent = start(fakes, Map.of("status.command-timeout", "1s", "status.metrics.min-interval", "0s"))) {
            Exposition working = Exposition.parse(agent.get("/metrics").body());
            assertEquals(1.0, working.value("nvidia_smi_last_collect_success"));
            assertEquals(1, working.startingWith("nvidia_smi_gpu_info").size());

            fakes.script("nvidia-smi", "sleep 60");
            // Until the hung query is killed, a scrape shows the last finished one (documented in README.md).
            Exposition hanging = Exposition.parse(agent.get("/metrics").body());
            assertEquals(1.0, hanging.value("nvidia_smi_last_collect_success"));

            Thread.sleep(1700);
            long started = System.nanoTime();
            RunningAgent.Reply reply = agent.get("/metrics");
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            Exposition timedOut = Exposition.parse(reply.body());

            assertTrue(tookMs < 1000, "scrape answered after " + tookMs + " ms");
            assertEquals(0.0, timedOut.value("nvidia_smi_last_collect_success"));
            assertEquals(-1.0, timedOut.value("nvidia_smi_command_exit_code"));
            assertFalse(timedOut.names().contains("nvidia_smi_gpu_info"));
            assertFalse(timedOut.names().contains("nvidia_smi_temperature_gpu"));
            assertEquals(1.0, timedOut.value(series("system_status_command_runs_total", "command", "nvidia-smi", "outcome", "timeout")));
            assertEquals(7, timedOut.startingWith("system_status_unit_healthy").size());
        }
    }
}
