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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The operator's terminal: lines naming what changed, --json for a pipeline, --help, quiet after shutdown. */
class CollectorTerminalTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

    @Test
    void jsonPrintsOneSchemaValidObjectPerEventAndNothingElse() throws Exception {
        int port = freePort();
        try (Collector collector = new Collector(StubOptions.parse("--listen", "tcp://127.0.0.1:" + port, "--json", "--interval", "200ms"),
                new PrintStream(printed, true, StandardCharsets.UTF_8), new PrintStream(logged, true, StandardCharsets.UTF_8),
                Clock.systemUTC());
             SimulatedGuest guest = SimulatedGuest.tcp("guest-3", startAndPort(collector, port))) {
            guest.lifecycle("healthy", "all checks pass");
            guest.lifecycle("degraded", "k3s: failed/failed");
            awaitText(printed, "\"kind\":\"silent\"");
        }
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size(), "first seen, the flip, the silence: " + lines);
        for (String line : lines) {
            CollectorSchemas.assertValid("collector-event.schema.json", line);
        }
        JsonNode flip = JSON.readTree(lines.get(1));
        assertEquals("guest-3 healthy -> degraded (k3s: failed/failed)", flip.path("text").asText());
        assertEquals("tcp:127.0.0.1", flip.path("guest").path("peer").asText());
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("connection from"), "the collector's own lines go apart");
    }

    @Test
    void silenceAfterACleanShutdownIsNotAnAlarm() throws Exception {
        int port = freePort();
        try (Collector collector = new Collector(StubOptions.parse("--listen", "tcp://127.0.0.1:" + port, "--interval", "200ms"),
                new PrintStream(printed, true, StandardCharsets.UTF_8), Clock.systemUTC());
             SimulatedGuest stopping = SimulatedGuest.tcp("guest-4", startAndPort(collector, port));
             SimulatedGuest crashing = SimulatedGuest.tcp("guest-5", port)) {
            stopping.lifecycle("healthy", "all checks pass");
            crashing.lifecycle("healthy", "all checks pass");
            stopping.lifecycle("shutdown", "stopping");
            stopping.kill();
            crashing.kill();
            awaitText(printed, "guest-5 silent for");
            Thread.sleep(600);
            assertTrue(printed.toString(StandardCharsets.UTF_8).contains("guest-4 healthy -> shutdown (stopping)"));
            assertFalse(printed.toString(StandardCharsets.UTF_8).contains("guest-4 silent"), printed.toString(StandardCharsets.UTF_8));
            assertFalse(collector.fleet().views(java.time.Instant.now()).stream()
                    .filter(g -> g.key().agentId().equals("guest-4")).findFirst().orElseThrow().silent());
        }
    }

    @Test
    void helpPrintsUsageAndExitsZeroAndABadOptionExitsTwo() throws Exception {
        Process help = java("--help");
        assertEquals(0, help.waitFor());
        String out = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out.startsWith("usage: java -jar collector-stub.jar"), out);
        assertTrue(out.contains("--http ADDRESS"), out);
        assertEquals("", new String(help.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));

        Process bad = java("--colour");
        assertEquals(2, bad.waitFor());
        assertTrue(new String(bad.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).startsWith("collector-stub: unknown option --colour"));
    }

    private static Process java(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CollectorStub.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the collector did not exit");
        }
        return process;
    }

    private static int startAndPort(Collector collector, int port) throws IOException {
        collector.start();
        return port;
    }

    private static void awaitText(ByteArrayOutputStream stream, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!stream.toString(StandardCharsets.UTF_8).contains(text)) {
            if (System.nanoTime() > deadline) {
                fail("never printed '" + text + "': " + stream.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(20);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }
}
