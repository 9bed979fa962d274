package ai.chutes.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a misbehaving or hostile agent can do to the collector, over real sockets (issue 13 item 6). */
class CollectorHardeningTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private static String lifecycle(String id, String message, long seq) {
        return "{\"type\":\"lifecycle\",\"payload\":{\"state\":\"degraded\",\"message\":\"" + message + "\",\"seq\":" + seq
                + ",\"timestamp\":\"2026-11-23T10:00:00Z\",\"agent_id\":\"" + id + "\"}}\n";
    }

    @Test
    void escapesControlCharactersInWhatItPrintsAndRecords() throws Exception {
        int port = freePort();
        Path record = dir.resolve("received.ndjson");
        // valid JSON whose message decodes to ESC sequences, a forged newline and a bidi override
        String forged = "k3s: \\u001b[2J\\u001b[31mred\\nFAKE guest-9 (first seen) -> healthy\\r\\u202eevil\\u0085";
        try (Collector collector = start("--listen", "tcp://127.0.0.1:" + port, "--record", record.toString());
             Socket agent = connect(port)) {
            write(agent, lifecycle("guest-1", forged, 1)
                    + "{\"type\":\"lifecycle\",\"payload\":{\"state\":\"\u001b[31m\",\"seq\":2}}\n"
                    + "raw \u001b]0;title\u0007 not json\n");
            awaitPrinted("INVALID: not JSON");
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        for (char c : new char[] {'\u001b', '\r', '\u0007', '\u202e', '\u0085'}) {
            assertEquals(-1, text.indexOf(c), "control character " + (int) c + " reached the terminal: " + text);
        }
        assertTrue(text.contains("\\u001b[31mred\\u000aFAKE guest-9"), text);
        assertFalse(text.lines().anyMatch(line -> line.startsWith("FAKE")), "a forged line: " + text);
        String recorded = Files.readString(record, StandardCharsets.UTF_8);
        assertEquals(3, recorded.lines().count(), "one record line per received line: " + recorded);
        assertEquals(-1, recorded.indexOf('\u001b'), recorded);
        assertEquals(-1, recorded.indexOf('\u0007'), recorded);
    }

    @Test
    void usesNoFieldOfALineThatFailsItsSchema() throws Exception {
        int port = freePort();
        String longId = "x".repeat(65);
        try (Collector collector = start("--listen", "tcp://127.0.0.1:" + port);
             Socket agent = connect(port)) {
            write(agent, lifecycle(longId, "too long an id", 1) + lifecycle("bad/id", "slash", 2)
                    + "{\"type\":\"lifecycle\",\"payload\":{\"state\":\"exploded\",\"seq\":3,\"agent_id\":\"liar\","
                    + "\"timestamp\":\"2026-11-23T10:00:00Z\"}}\n"
                    + lifecycle("guest-ok", "fine", 4));
            awaitPrinted("guest-ok (first seen) -> degraded (fine)");
            assertEquals(1, collector.fleet().size(), "only the valid line created an agent");
            assertEquals(null, collector.fleet().stateOf("liar"));
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertEquals(3, count(text, "INVALID lifecycle"), text);
        assertFalse(text.contains(longId), "an invalid id is never printed as a label: " + text);
        assertFalse(text.contains("liar"), text);
    }

    @Test
    void theAgentTableIsCappedAndForgetsTheSilentCountingDrops() throws Exception {
        int port = freePort();
        try (Collector collector = start("--listen", "tcp://127.0.0.1:" + port, "--max-agents", "10",
                "--forget-after", "1500ms", "--interval", "200ms");
             Socket agent = connect(port)) {
            StringBuilder lines = new StringBuilder();
            for (int i = 1; i <= 25; i++) {
                lines.append(lifecycle("guest-" + i, "n" + i, i));
            }
            write(agent, lines.toString());
            awaitPrinted("guest-25 (first seen)");
            assertEquals(10, collector.fleet().size());
            assertEquals(15, collector.fleet().dropped());
            assertEquals("degraded", collector.fleet().stateOf("guest-25"), "the newest are kept");
            assertEquals(null, collector.fleet().stateOf("guest-1"), "the least recently heard went first");
            await(() -> collector.fleet().size() == 0, Duration.ofSeconds(5), "silent agents forgotten");
            assertEquals(25, collector.fleet().dropped());
        }
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("guest-25 forgotten after 1 s of silence"));
    }

    @Test
    void threeHundredAgentsConnectingAtOnceAreSeenWithinThreeSeconds() throws Exception {
        int port = freePort();
        int agents = 300;
        List<Socket> sockets = new ArrayList<>();
        try (Collector collector = start("--listen", "tcp://127.0.0.1:" + port)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < agents; i++) {
                String line = lifecycle("guest-" + i, "x", 1);
                Thread thread = new Thread(() -> {
                    try {
                        go.await();
                        Socket socket = connect(port);
                        synchronized (sockets) {
                            sockets.add(socket);
                        }
                        write(socket, line);
                    } catch (IOException | InterruptedException e) {
                        // the count below fails
                    }
                });
                thread.start();
                threads.add(thread);
            }
            long start = System.nanoTime();
            go.countDown();
            await(() -> collector.fleet().size() == agents, Duration.ofSeconds(3),
                    agents + " agents seen within 3 s");
            System.out.println("collector: " + agents + " agents seen in "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
            for (Thread thread : threads) {
                thread.join();
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    private Collector start(String... args) throws IOException {
        Collector collector = new Collector(StubOptions.parse(args), out, Clock.systemUTC());
        collector.start();
        return collector;
    }

    private void awaitPrinted(String text) throws InterruptedException {
        await(() -> printed.toString(StandardCharsets.UTF_8).contains(text), Duration.ofSeconds(10),
                "the stub never printed '" + text + "'");
    }

    private void await(BooleanSupplier condition, Duration within, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what + "; it printed:\n" + printed.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(10);
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return socket;
    }

    private static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
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
