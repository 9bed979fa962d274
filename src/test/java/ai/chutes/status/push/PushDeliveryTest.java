package ai.chutes.status.push;

import static ai.chutes.status.push.HostPeer.lifecycle;
import static ai.chutes.status.push.HostPeer.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.FreePort;
import ai.chutes.status.LogCapture;
import ai.chutes.status.RunningAgent;
import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What happens when the host is absent, dies, never reads, or sends nonsense. */
class PushDeliveryTest {

    private static final Duration FAST = Duration.ofMillis(200);

    @TempDir
    Path dir;

    @Test
    void anAbsentThenRestartedCollectorGetsTheCurrentStateFirstAndSeqKeepsIncreasing() throws Exception {
        int port = FreePort.pick();
        String address = "tcp://127.0.0.1:" + port;
        FakeBinaries fakes = PushAgents.flippingUnit(dir, dir.resolve("never"));
        try (RunningAgent agent = PushAgents.start(fakes, address, "dial", FAST, Map.of())) {
            PushChannel channel = agent.context().getBean(PushChannel.class);
            // Collector absent at start: the API answers, the queue stays small, dials keep failing.
            Thread.sleep(1500);
            assertEquals(200, agent.get("/health").status());
            assertEquals(200, agent.get("/overview").status());
            assertFalse(channel.connected());
            assertTrue(channel.connectFailures() >= 3, "dials: " + channel.connectFailures());
            assertTrue(channel.queued() <= Outbox.MAX_LIFECYCLE + 1, "queued: " + channel.queued());

            long lastSeq = 0;
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            long heapBefore = 0;
            for (int round = 0; round < 8; round++) {
                try (PushEndToEndTest.Listener collector = PushEndToEndTest.Listener.open(address);
                     HostPeer host = new HostPeer(collector.accept())) {
                    JsonNode first = host.next(Duration.ofSeconds(5));
                    assertEquals("lifecycle", first.path("type").asText(), "first message after connecting");
                    assertEquals("healthy", first.path("payload").path("state").asText());
                    JsonNode second = host.next(Duration.ofSeconds(5));
                    assertEquals("overview", second.path("type").asText(), "second message after connecting");
                    host.await(type("overview"), Duration.ofSeconds(2), "a heartbeat overview");
                    long firstSeq = first.path("payload").path("seq").asLong();
                    assertTrue(firstSeq > lastSeq, "seq " + firstSeq + " after " + lastSeq + " before the restart");
                    List<JsonNode> received = host.received();
                    PushAgents.assertSeqStrictlyIncreasing(received);
                    lastSeq = received.stream().mapToLong(m -> m.path("payload").path("seq").asLong()).max().orElseThrow();
                    assertEquals(List.of(), host.invalidMessages());
                }
                // Collector killed mid-stream: the API keeps answering while the agent redials.
                assertEquals(200, agent.get("/health").status());
                assertTrue(channel.queued() <= Outbox.MAX_LIFECYCLE + 1, "queued: " + channel.queued());
                if (round == 1) {
                    heapBefore = usedHeapAfterGc(memory);
                }
            }
            long growth = usedHeapAfterGc(memory) - heapBefore;
            assertTrue(growth < 16L * 1024 * 1024, "heap grew by " + growth + " bytes over 6 reconnect rounds");
            assertTrue(channel.connectionsOpened() >= 8);
        }
    }

    @Test
    void garbageOverlongLinesAndUnknownTypesAreAnsweredAndTheConnectionStaysUsable() throws Exception {
        String address = "tcp://127.0.0.1:" + FreePort.pick();
        FakeBinaries fakes = PushAgents.flippingUnit(dir, dir.resolve("never"));
        try (PushEndToEndTest.Listener collector = PushEndToEndTest.Listener.open(address);
             RunningAgent agent = PushAgents.start(fakes, address, "dial", Duration.ofSeconds(30), Map.of())) {
            try (HostPeer host = new HostPeer(collector.accept())) {
                host.await(type("lifecycle"), Duration.ofSeconds(5), "the first lifecycle");

                host.send("this is not json\n");
                JsonNode notJson = host.await(type("ack"), Duration.ofSeconds(5), "ack for garbage");
                assertFalse(notJson.path("payload").path("ok").asBoolean());
                assertTrue(notJson.path("payload").path("reply_to").isNull());
                assertEquals("the line is not valid JSON", notJson.path("payload").path("error").asText());

                byte[] huge = new byte[2 * 1024 * 1024 + 1];
                Arrays.fill(huge, (byte) 'x');
                huge[huge.length - 1] = '\n';
                host.send(huge);
                JsonNode tooLong = host.await(type("ack"), Duration.ofSeconds(5), "ack for a 2 MiB line");
                assertEquals("the line is longer than 1 MiB", tooLong.path("payload").path("error").asText());

                host.send("[1,2,3]\n{\"payload\":{}}\n{\"type\":\"reboot\",\"payload\":{}}\n");
                assertEquals("the line is not a JSON object",
                        host.await(type("ack"), Duration.ofSeconds(5), "ack for an array").path("payload").path("error").asText());
                assertEquals("the message has no string field 'type'",
                        host.await(type("ack"), Duration.ofSeconds(5), "ack for no type").path("payload").path("error").asText());
                JsonNode unknown = host.await(type("ack"), Duration.ofSeconds(5), "ack for an unknown type");
                assertEquals("reboot", unknown.path("payload").path("reply_to").asText());
                assertEquals("unknown message type", unknown.path("payload").path("error").asText());

                host.send("{\"type\":\"ping\"}\n");
                host.await(type("pong"), Duration.ofSeconds(5), "pong");
                host.send("{\"type\":\"get_overview\",\"payload\":{}}\n");
                JsonNode overview = host.await(type("overview"), Duration.ofSeconds(5), "overview on request");
                assertEquals("guest-test", overview.path("payload").path("agent_id").asText());
                assertEquals(List.of(), host.invalidMessages());
            }
            // The host hangs up; the next connection works and starts with the current state.
            try (HostPeer again = new HostPeer(collector.accept())) {
                assertEquals("lifecycle", again.next(Duration.ofSeconds(5)).path("type").asText());
                again.send("{\"type\":\"ping\"}\n");
                again.await(type("pong"), Duration.ofSeconds(5), "pong on the new connection");
            }
            assertEquals(200, agent.get("/health").status());
        }
    }

    @Test
    void aHostThatNeverReadsIsDroppedAfterTheWriteTimeoutAndTheApiStaysFast() throws Exception {
        String address = "tcp://127.0.0.1:" + FreePort.pick();
        // ~600 KB per overview fills the socket buffers after a few messages.
        FakeBinaries fakes = PushAgents.flippingUnit(dir, dir.resolve("never"))
                .script("nvidia-smi", "head -c 300000 /dev/zero | tr '\\0' 'x'");
        Map<String, Object> extra = Map.of("status.max-output-bytes", 300000, "status.push.write-timeout", "500ms");
        try (PushEndToEndTest.Listener collector = PushEndToEndTest.Listener.open(address);
             RunningAgent agent = PushAgents.start(fakes, address, "dial", Duration.ofMillis(100), extra)) {
            PushChannel channel = agent.context().getBean(PushChannel.class);
            assertEquals(200, agent.get("/health").status(), "warm-up");
            Socket silent = collector.accept();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            List<Long> millis = new ArrayList<>();
            while (channel.connectionsOpened() < 2 && System.nanoTime() < deadline) {
                long started = System.nanoTime();
                assertEquals(200, agent.get("/health").status());
                millis.add((System.nanoTime() - started) / 1_000_000);
                Thread.sleep(20);
            }
            assertTrue(channel.connectionsOpened() >= 2, "the agent kept writing to a host that never reads");
            Collections.sort(millis);
            assertTrue(millis.get(millis.size() / 2) < 100 && millis.get(millis.size() - 1) < 1000, "/health ms: " + millis);
            assertTrue(channel.queued() <= Outbox.MAX_LIFECYCLE + 1);
            silent.close();
            try (HostPeer reading = new HostPeer(collector.accept())) {
                reading.await(type("overview"), Duration.ofSeconds(5), "an overview once the host reads");
            }
        }
    }

    @Test
    void aMessageOver1MiBIsNeverSentAndLeavesASeqGap() throws Exception {
        String address = "tcp://127.0.0.1:" + FreePort.pick();
        // stdout and stdout_lines each carry ~700 KB: the overview line would be ~1.4 MB.
        FakeBinaries fakes = PushAgents.flippingUnit(dir, dir.resolve("never"))
                .script("nvidia-smi", "head -c 700000 /dev/zero | tr '\\0' 'x'");
        try (LogCapture log = LogCapture.of(PushChannel.class);
             PushEndToEndTest.Listener collector = PushEndToEndTest.Listener.open(address);
             RunningAgent agent = PushAgents.start(fakes, address, "dial", FAST, Map.of("status.max-output-bytes", 700000));
             HostPeer host = new HostPeer(collector.accept())) {
            JsonNode healthy = host.await(lifecycle("healthy"), Duration.ofSeconds(5), "lifecycle healthy");
            Thread.sleep(1000);
            assertTrue(host.received().stream().noneMatch(type("overview")::test), "an over-long overview was sent");
            assertTrue(log.count(Level.ERROR, "overview message was larger than 1 MiB") >= 1, "the drop is logged: " + log.lines());
            host.send("{\"type\":\"ping\"}\n");
            host.await(type("pong"), Duration.ofSeconds(5), "pong");
            assertEquals(List.of(), host.invalidMessages());
            assertTrue(healthy.path("payload").path("seq").asLong() >= 2, "the dropped overviews still took their seq");
        }
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
