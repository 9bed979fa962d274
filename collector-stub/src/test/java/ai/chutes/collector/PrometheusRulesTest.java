package ai.chutes.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped rules (prometheus/rules.yml) against real tools: promtool's unit tests and lint, and
 * a real Prometheus (the Debian package, as CI installs it) scraping a collector with real guests.
 */
class PrometheusRulesTest {

    private static final Path RULES = Path.of("prometheus", "rules.yml").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void promtoolPassesTheRuleTestsAndFindsTheMetricsClean() throws Exception {
        assertEquals(0, run(dir, "promtool", "test", "rules", Path.of("prometheus", "rules.test.yml").toAbsolutePath().toString()));
        int port = freePort();
        try (Collector collector = collector(port);
             SimulatedGuest guest = SimulatedGuest.tcp("guest-1", startAndPort(collector, port))) {
            guest.lifecycle("healthy", "all checks pass");
            guest.heartbeat();
            Thread.sleep(300);
            Path metrics = dir.resolve("metrics.txt");
            Files.writeString(metrics, get("http://127.0.0.1:" + collector.httpPort() + "/metrics"));
            assertTrue(Files.readString(metrics).contains("collector_guest_healthy_units{peer=\"tcp:127.0.0.1\",agent_id=\"guest-1\""));
            ProcessBuilder check = new ProcessBuilder("promtool", "check", "metrics").redirectInput(metrics.toFile())
                    .redirectErrorStream(true);
            Process process = check.start();
            String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), "promtool check metrics: " + said);
            assertEquals("", said.trim(), "promtool has remarks");
        }
    }

    @Test
    void aRealPrometheusScrapingTheCollectorFiresEachRuleForTheRightGuest() throws Exception {
        int port = freePort();
        int promPort = freePort();
        List<SimulatedGuest> guests = new java.util.concurrent.CopyOnWriteArrayList<>();
        Process prometheus = null;
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
        try (Collector collector = collector(port)) {
            collector.start();
            add(guests, SimulatedGuest.tcp("guest-ok", port));
            SimulatedGuest degraded = add(guests, SimulatedGuest.tcp("guest-bad", port));
            SimulatedGuest flapping = add(guests, SimulatedGuest.tcp("guest-flap", port));
            SimulatedGuest killed = add(guests, SimulatedGuest.tcp("guest-gone", port));
            add(guests, SimulatedGuest.tcp("clone", port));
            add(guests, SimulatedGuest.tcp("clone", port));
            for (SimulatedGuest guest : guests) {
                guest.lifecycle("healthy", "all checks pass");
            }
            heartbeats.scheduleAtFixedRate(() -> guests.forEach(PrometheusRulesTest::heartbeat), 0, 500, TimeUnit.MILLISECONDS);
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    rule_files:
                      - %s
                    scrape_configs:
                      - job_name: system-status-collector
                        static_configs:
                          - targets: ["127.0.0.1:%d"]
                    """.formatted(RULES, collector.httpPort()));
            prometheus = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + promPort).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            // two scrapes of the healthy fleet, then the trouble
            awaitScrapes(promPort, 2);
            degraded.lifecycle("degraded", "k3s: failed/failed");
            for (int i = 0; i < 3; i++) {
                flapping.lifecycle("degraded", "k3s: failed/failed");
                Thread.sleep(400);
                flapping.lifecycle("healthy", "all checks pass");
                Thread.sleep(400);
            }
            killed.kill();
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            Set<String> seen = Set.of();
            Set<String> wanted = Set.of("GuestSilent/guest-gone/firing", "DuplicateAgentId/clone/firing",
                    "GuestFlapping/guest-flap/firing", "GuestDegraded/guest-bad/pending");
            while (System.nanoTime() < deadline && !seen.containsAll(wanted)) {
                Thread.sleep(500);
                seen = alerts(promPort);
            }
            assertTrue(seen.containsAll(wanted), "alerts " + seen + ", wanted " + wanted + "; prometheus said:\n"
                    + tail(dir.resolve("prometheus.log")));
            assertEquals(Set.of(), Set.copyOf(seen.stream().filter(a -> a.contains("/guest-ok/")).toList()), "the healthy guest");
            assertEquals(4, seen.size(), "nothing else: " + seen);
        } finally {
            heartbeats.shutdownNow();
            if (prometheus != null) {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            }
            for (SimulatedGuest guest : guests) {
                guest.close();
            }
        }
    }

    private void awaitScrapes(int promPort, int scrapes) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                JsonNode result = JSON.readTree(get("http://127.0.0.1:" + promPort
                        + "/api/v1/query?query=count_over_time(up%5B1m%5D)")).path("data").path("result");
                if (result.size() == 1 && result.get(0).path("value").path(1).asInt() >= scrapes) {
                    return;
                }
            } catch (Exception notUpYet) {
                // Prometheus is still starting
            }
            Thread.sleep(200);
        }
        fail("Prometheus never scraped the collector " + scrapes + " times");
    }

    /** "Alertname/agent_id/state" of every alert Prometheus holds now. */
    private Set<String> alerts(int promPort) {
        try {
            JsonNode body = JSON.readTree(get("http://127.0.0.1:" + promPort + "/api/v1/alerts"));
            Set<String> alerts = new HashSet<>();
            body.path("data").path("alerts").forEach(a -> alerts.add(a.path("labels").path("alertname").asText() + "/"
                    + a.path("labels").path("agent_id").asText() + "/" + a.path("state").asText()));
            return alerts;
        } catch (Exception notUpYet) {
            return Set.of();
        }
    }

    private static void heartbeat(SimulatedGuest guest) {
        try {
            guest.heartbeat();
        } catch (IOException e) {
            // killed
        }
    }

    private static SimulatedGuest add(List<SimulatedGuest> guests, SimulatedGuest guest) {
        guests.add(guest);
        return guest;
    }

    private Collector collector(int port) throws IOException {
        return new Collector(StubOptions.parse("--listen", "tcp://127.0.0.1:" + port, "--http", "tcp://127.0.0.1:" + freePort(),
                "--interval", "1s"), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Clock.systemUTC());
    }

    private static int startAndPort(Collector collector, int port) throws IOException {
        collector.start();
        return port;
    }

    private String get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered " + response.statusCode());
        }
        return response.body();
    }

    private static int run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish");
        }
        if (process.exitValue() != 0) {
            fail(String.join(" ", command) + " failed:\n" + said);
        }
        return process.exitValue();
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }
}
