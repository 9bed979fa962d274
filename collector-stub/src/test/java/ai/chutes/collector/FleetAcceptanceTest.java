package ai.chutes.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's acceptance: 300 guests over unix and TCP pushing every second into one collector, read
 * back through its HTTP listener the way Prometheus and an orchestrator would.
 */
class FleetAcceptanceTest {

    private static final int GUESTS = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @Test
    void threeHundredGuestsOnUnixAndTcpAreServedWithStatesDuplicatesFlipsAndSilence() throws Exception {
        int port = freePort();
        Path socket = dir.resolve("collector.sock");
        StubOptions options = StubOptions.parse("--listen", "tcp://127.0.0.1:" + port, "--listen", "unix://" + socket,
                "--http", "tcp://127.0.0.1:" + freePort(), "--interval", "1s");
        List<SimulatedGuest> guests = new ArrayList<>();
        ScheduledExecutorService pushers = Executors.newScheduledThreadPool(4);
        try (Collector collector = new Collector(options, new PrintStream(printed, true, StandardCharsets.UTF_8), Clock.systemUTC())) {
            collector.start();
            String base = "http://127.0.0.1:" + collector.httpPort();
            // 151 over TCP, 149 over unix; guest-dup is used by two agents on one TCP peer
            for (int i = 0; i < GUESTS; i++) {
                String id = i == GUESTS - 1 ? "guest-dup" : i == GUESTS - 2 ? "guest-dup" : "guest-" + i;
                SimulatedGuest guest = i % 2 == 0 || id.equals("guest-dup") ? SimulatedGuest.tcp(id, port) : SimulatedGuest.unix(id, socket);
                guest.lifecycle("booting", "starting");
                guest.lifecycle("healthy", "all checks pass");
                guests.add(guest);
                pushers.scheduleAtFixedRate(() -> heartbeat(guest), i * 1000L / GUESTS, 1000, TimeUnit.MILLISECONDS);
            }

            JsonNode agents = await(base, body -> body.path("guests").size() == GUESTS
                    && stream(body).allMatch(g -> "healthy".equals(g.path("state").asText())), "all 300 healthy");
            assertEquals(149, stream(agents).filter(g -> g.path("peer").asText().startsWith("unix:uid=")).count(), "unix peers");
            assertEquals(151, stream(agents).filter(g -> g.path("peer").asText().equals("tcp:127.0.0.1")).count(), "TCP peers");
            await(base, body -> stream(body).filter(g -> g.path("duplicate").asBoolean()).count() == 2, "the duplicate pair");
            agents = get(base + "/agents");
            assertEquals(List.of("guest-dup", "guest-dup"), stream(agents).filter(g -> g.path("duplicate").asBoolean())
                    .map(g -> g.path("agent_id").asText()).toList(), "only the two sharing an id are duplicates");
            assertEquals(2, stream(agents).filter(g -> g.path("agent_id").asText().equals("guest-dup"))
                    .map(g -> g.path("instance").asText()).distinct().count(), "reported apart, not merged");
            assertTrue(text(base + "/metrics").contains("collector_duplicate_agent_ids 1\n"));

            // A flip to degraded: on /events and in /metrics within 1 s of the push
            BlockingQueue<String> events = follow(base + "/events");
            SimulatedGuest flipped = guests.get(17);
            Instant pushed = flipped.lifecycle("degraded", "k3s: failed/failed");
            String event = awaitLine(events, line -> line.contains("\"agent_id\":\"guest-17\"") && line.contains("\"to\":\"degraded\""),
                    Duration.ofSeconds(1), "guest-17's flip on /events within 1 s");
            long eventMillis = Duration.between(pushed, Instant.now()).toMillis();
            CollectorSchemas.assertValid("collector-event.schema.json", event);
            JsonNode parsed = JSON.readTree(event);
            assertEquals("state", parsed.path("kind").asText());
            assertEquals("healthy", parsed.path("from").asText());
            assertEquals("k3s: failed/failed", parsed.path("message").asText());
            String metrics = text(base + "/metrics");
            long metricsMillis = Duration.between(pushed, Instant.now()).toMillis();
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("collector_guest_state{") && l.contains("agent_id=\"guest-17\"")
                    && l.contains("state=\"degraded\"") && l.endsWith(" 1")), "guest-17 degraded in /metrics");
            assertTrue(metricsMillis < 1000, "the flip reached /metrics " + metricsMillis + " ms after the push");

            // A killed guest: silent after 3 intervals, not before
            SimulatedGuest killed = guests.get(42);
            Instant lastHeard = lastHeard(base, "guest-42");
            killed.kill();
            sleepUntil(lastHeard.plusMillis(2600));
            assertFalse(guest(get(base + "/agents"), "guest-42").path("silent").asBoolean(), "silent before 3 intervals");
            awaitLine(events, line -> line.contains("\"agent_id\":\"guest-42\"") && line.contains("\"kind\":\"silent\""),
                    Duration.ofMillis(2000), "guest-42 silent on /events");
            long silentAfter = Duration.between(lastHeard, Instant.now()).toMillis();
            assertTrue(silentAfter >= 3000 && silentAfter < 3700, "silent " + silentAfter + " ms after its last message");
            String agentsBody = text(base + "/agents");
            CollectorSchemas.assertValid("collector-agents.schema.json", agentsBody);
            JsonNode dead = guest(JSON.readTree(agentsBody), "guest-42");
            assertTrue(dead.path("silent").asBoolean());
            assertFalse(dead.path("connected").asBoolean());
            assertEquals("healthy", dead.path("state").asText(), "the last state it reported");
            assertTrue(text(base + "/metrics").lines().anyMatch(l -> l.startsWith("collector_guest_silent{")
                    && l.contains("agent_id=\"guest-42\"") && l.endsWith(" 1")));

            String overviewBody = text(base + "/agents/guest-17");
            CollectorSchemas.assertValid("push-overview.schema.json", "{\"type\":\"overview\",\"payload\":" + overviewBody + "}");
            JsonNode overview = JSON.readTree(overviewBody);
            assertEquals("degraded", overview.path("status").asText(), "the latest overview as sent");
            assertEquals("guest-17", overview.path("agent_id").asText());
            assertEquals(409, status(base + "/agents/guest-dup"), "an id two guests use is ambiguous");
            assertTrue(text(base + "/metrics").contains("collector_lines_refused_total 0\n"), "every simulated line was valid");
            System.out.println("fleet: flip on /events " + eventMillis + " ms, in /metrics " + metricsMillis
                    + " ms after the push; silent " + silentAfter + " ms after the last message");
        } finally {
            pushers.shutdownNow();
            for (SimulatedGuest guest : guests) {
                guest.close();
            }
        }
    }

    private static void heartbeat(SimulatedGuest guest) {
        try {
            guest.heartbeat();
        } catch (IOException e) {
            // killed
        }
    }

    private Instant lastHeard(String base, String id) throws Exception {
        return Instant.parse(guest(get(base + "/agents"), id).path("last_message").asText());
    }

    private static JsonNode guest(JsonNode agents, String id) {
        return stream(agents).filter(g -> g.path("agent_id").asText().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " is not in /agents"));
    }

    private static Stream<JsonNode> stream(JsonNode agents) {
        List<JsonNode> list = new ArrayList<>();
        agents.path("guests").forEach(list::add);
        return list.stream();
    }

    private JsonNode await(String base, Predicate<JsonNode> condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode body = null;
        while (System.nanoTime() < deadline) {
            body = get(base + "/agents");
            if (condition.test(body)) {
                return body;
            }
            Thread.sleep(100);
        }
        fail(what + " never showed in /agents: " + (body == null ? "" : body.toString().substring(0, Math.min(2000, body.toString().length()))));
        return null;
    }

    private BlockingQueue<String> follow(String url) throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        Thread reader = new Thread(() -> {
            try {
                response.body().forEach(lines::add);
            } catch (java.io.UncheckedIOException ended) {
                // the collector closed at the end of the test
            }
        }, "events-follower");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static String awaitLine(BlockingQueue<String> lines, Predicate<String> match, Duration within, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                fail(what + ": not there in time");
            }
            if (match.test(line)) {
                return line;
            }
        }
    }

    private JsonNode get(String url) throws Exception {
        return JSON.readTree(text(url));
    }

    private String text(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url + ": " + response.body());
        return response.body();
    }

    private int status(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void sleepUntil(Instant when) throws InterruptedException {
        long millis = Duration.between(Instant.now(), when).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }
}
