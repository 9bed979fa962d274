package ai.chutes.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** The stub against a real socket peer playing the agent, over TCP and a unix socket. */
class CollectorStubTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    static String lifecycle(String state, String message, long seq) {
        return "{\"type\":\"lifecycle\",\"payload\":{\"state\":\"" + state + "\",\"message\":\"" + message + "\",\"seq\":" + seq
                + ",\"timestamp\":\"2026-11-23T10:00:00Z\",\"agent_id\":\"guest-3\"}}\n";
    }

    static String overview(String status, long seq) {
        String reasons = status.equals("ok") ? "[]" : "[\"service k3s is not healthy\"]";
        return "{\"type\":\"overview\",\"payload\":{\"status\":\"" + status + "\",\"reasons\":" + reasons + ",\"services\":[],\"gpu\":{\"command\":[\"nvidia-smi\"],"
                + "\"exit_code\":0,\"stdout\":\"\",\"stdout_lines\":[],\"stderr\":\"\",\"stdout_truncated\":false,"
                + "\"stderr_truncated\":false,\"detail\":false,\"gpu\":\"all\",\"status\":\"ok\",\"error\":null},"
                + "\"timestamp\":\"2026-11-23T10:00:00Z\",\"seq\":" + seq + ",\"agent_id\":\"guest-3\"}}\n";
    }

    @Test
    void printsStateChangesSeqGapsAndInvalidLinesAndRecordsEverything() throws Exception {
        int port = freePort();
        Path record = dir.resolve("received.ndjson");
        StubOptions options = StubOptions.parse("--listen", "tcp://127.0.0.1:" + port, "--record", record.toString(),
                "--send", "ping,get_overview");
        try (Collector collector = new Collector(options, out, Clock.systemUTC())) {
            collector.start();
            try (Socket agent = new Socket()) {
                agent.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                BufferedReader requests = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("{\"type\":\"ping\",\"payload\":{}}", requests.readLine());
                assertEquals("{\"type\":\"get_overview\",\"payload\":{}}", requests.readLine());

                String lines = lifecycle("booting", "starting", 1) + lifecycle("ready", "serving", 2)
                        + lifecycle("healthy", "all checks pass", 3) + overview("ok", 4)
                        + lifecycle("healthy", "all checks pass", 5)
                        + lifecycle("degraded", "k3s: failed/failed", 8) + overview("degraded", 9)
                        + "{\"type\":\"lifecycle\",\"payload\":{\"state\":\"exploded\"}}\n"
                        + "not json at all\n"
                        + "{\"type\":\"pong\",\"payload\":{}}\n";
                write(agent, lines);
                awaitPrinted("guest-3 pong");
                awaitPrinted("INVALID: not JSON");
            }
            awaitPrinted("guest-3 disconnected");
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("guest-3 (first seen) -> booting (starting)"), text);
        assertTrue(text.contains("guest-3 booting -> ready (serving)"), text);
        assertTrue(text.contains("guest-3 ready -> healthy (all checks pass)"), text);
        assertEquals(1, count(text, "-> healthy"), "an unchanged state is not printed twice: " + text);
        assertTrue(text.contains("guest-3 healthy -> degraded (k3s: failed/failed)"), text);
        assertTrue(text.contains("guest-3 seq gap: 5 -> 8 (2 messages lost)"), text);
        assertTrue(text.contains("guest-3 INVALID lifecycle:"), text);
        assertEquals(10, Files.readAllLines(record).size(), "every line received is recorded");
        assertEquals(lifecycle("booting", "starting", 1).trim(), Files.readAllLines(record).get(0));
    }

    @Test
    void reportsASilentAgentOnceAndItsReturn() throws Exception {
        int port = freePort();
        StubOptions options = StubOptions.parse("--listen", "tcp://127.0.0.1:" + port, "--interval", "200ms");
        try (Collector collector = new Collector(options, out, Clock.systemUTC());
             Socket agent = new Socket()) {
            collector.start();
            agent.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            write(agent, lifecycle("healthy", "all checks pass", 1));
            awaitPrinted("guest-3 (first seen) -> healthy");
            awaitPrinted("guest-3 silent for");
            Thread.sleep(1500);
            assertEquals(1, count(printed.toString(StandardCharsets.UTF_8), "silent for"), "reported once");
            write(agent, overview("ok", 2));
            awaitPrinted("guest-3 speaking again after");
        }
    }

    @Test
    void dialsAnAgentThatListensOnAUnixSocket() throws Exception {
        Path socketPath = dir.resolve("agent.sock");
        try (ServerSocket agentSide = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(socketPath), true)) {
            StubOptions options = StubOptions.parse("--dial", "unix://" + socketPath);
            try (Collector collector = new Collector(options, out, Clock.systemUTC())) {
                collector.start();
                agentSide.setSoTimeout(10_000);
                try (Socket agent = agentSide.accept()) {
                    write(agent, lifecycle("degraded", "nvidia-smi: timeout", 1));
                    awaitPrinted("guest-3 (first seen) -> degraded (nvidia-smi: timeout)");
                    collector.sendToAll("ping");
                    BufferedReader requests = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
                    assertEquals("{\"type\":\"ping\",\"payload\":{}}", requests.readLine());
                }
            }
        }
    }

    @Test
    void badOptionsAreRefusedWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> StubOptions.parse("--listen"));
        assertThrows(IllegalArgumentException.class, () -> StubOptions.parse("--interval", "soon"));
        assertThrows(IllegalArgumentException.class, () -> StubOptions.parse("--interval", "0s"));
        assertThrows(IllegalArgumentException.class, () -> StubOptions.parse("--send", "reboot"));
        assertThrows(IllegalArgumentException.class, () -> StubOptions.parse("--colour"));
        assertEquals(Duration.ofMillis(1500), StubOptions.parse("--interval", "1500ms").interval());
        assertEquals(List.of("ping"), StubOptions.parse("--send", "ping").send());
        StubOptions dial = StubOptions.parse("--dial", "vsock://3:1024");
        assertEquals(false, dial.listen());
        assertThrows(IllegalArgumentException.class,
                () -> new Collector(StubOptions.parse("--listen", "udp://x:1"), out, Clock.systemUTC()));
    }

    private void awaitPrinted(String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!printed.toString(StandardCharsets.UTF_8).contains(text)) {
            if (System.nanoTime() > deadline) {
                fail("the stub never printed '" + text + "'; it printed:\n" + printed.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(20);
        }
    }

    private static void write(Socket socket, String text) throws IOException {
        OutputStream stream = socket.getOutputStream();
        stream.write(text.getBytes(StandardCharsets.UTF_8));
        stream.flush();
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }
}
