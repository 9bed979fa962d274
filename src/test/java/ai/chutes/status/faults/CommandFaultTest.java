package ai.chutes.status.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.Processes;
import ai.chutes.status.RunningAgent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands that misbehave on purpose: what the agent does about them, with real processes. */
class CommandFaultTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aCommandThatIgnoresSigtermAndDaemonizesChildrenLeavesNothingBehind() throws Exception {
        // The subshell exits at once, so its sleep is re-parented to init: outside the process tree.
        FakeBinaries fakes = new FakeBinaries(dir).script("nvidia-smi", """
                trap '' TERM
                ( trap '' TERM; sleep 61 & echo $! >> '%1$s/escaped.pid' )
                awk '{print $4}' /proc/$(cat '%1$s/escaped.pid')/stat > '%1$s/escaped.ppid'
                ( trap '' TERM; exec sleep 62 ) &
                echo $! >> '%1$s/child.pid'
                echo $$ >> '%1$s/parent.pid'
                sleep 63""".formatted(dir));
        try (RunningAgent agent = RunningAgent.uncached(fakes, "1s")) {
            RunningAgent.Reply gpu = agent.get("/gpu/nvidia-smi");
            assertEquals(504, gpu.status());
            assertEquals("timeout", JSON.readTree(gpu.body()).get("error").asText());
        }
        long parent = Long.parseLong(Files.readString(dir.resolve("parent.pid")).trim());
        long escapedParent = Long.parseLong(Files.readString(dir.resolve("escaped.ppid")).trim());
        assertTrue(escapedParent != parent, "the escaped sleep really left the tree (its parent is " + escapedParent + ")");
        for (String file : List.of("escaped.pid", "child.pid", "parent.pid")) {
            long pid = Long.parseLong(Files.readString(dir.resolve(file)).trim());
            awaitGone(pid, file);
        }
    }

    @Test
    void aDetachedGrandchildOfACommandThatExitsNormallyIsKilled() throws Exception {
        // setsid + double fork + closed pipes: nothing ties the sleep to the command any more.
        FakeBinaries fakes = new FakeBinaries(dir).script("systemctl", """
                ( setsid sh -c 'echo $$ > "%1$s/detached.pid"; exec sleep 60' </dev/null >/dev/null 2>&1 & )
                while [ ! -s '%1$s/detached.pid' ]; do sleep 0.01; done
                sed -e 1d -e '$d' '%2$s'""".formatted(dir, FakeBinaries.fixture("systemd/show-running.txt")));
        try (RunningAgent agent = RunningAgent.uncached(fakes, "5s")) {
            RunningAgent.Reply status = agent.get("/services/k3s/status");
            assertEquals(200, status.status(), status.body());
            long detached = Long.parseLong(Files.readString(dir.resolve("detached.pid")).trim());
            Thread.sleep(1000);
            assertFalse(Processes.running(detached), "the detached grandchild " + detached + " outlived its command");
            assertEquals(List.of(), Processes.carryingRunMarker(ProcessHandle.current().pid()),
                    "processes that still carry a run marker of this agent 1 s after the answer");
        }
    }

    @Test
    void theSweepAfterOneAgentsCommandSparesAnotherAgentsRunningCommandInTheSameJvm() throws Exception {
        // Two agents in one JVM (as the tests run them): each run's marker must be unique to the JVM,
        // or the sweep after agent B's run kills agent A's command that carries the same number.
        Path slowDir = Files.createDirectory(dir.resolve("slow"));
        FakeBinaries slow = new FakeBinaries(slowDir).script("systemctl", """
                sleep 1.5
                sed -e 1d -e '$d' '%s'""".formatted(FakeBinaries.fixture("systemd/show-running.txt")));
        FakeBinaries fast = new FakeBinaries(Files.createDirectory(dir.resolve("fast")))
                .replaySystemd("systemctl", "show-running.txt");
        try (RunningAgent a = RunningAgent.uncached(slow, "10s"); RunningAgent b = RunningAgent.uncached(fast, "10s")) {
            CompletableFuture<RunningAgent.Reply> slowAnswer = CompletableFuture.supplyAsync(() -> a.get("/services/k3s/status"));
            Thread.sleep(300);
            for (int i = 0; i < 8; i++) {
                assertEquals(200, b.get("/services/k3s/status").status());
            }
            RunningAgent.Reply reply = slowAnswer.get(30, TimeUnit.SECONDS);
            assertEquals(200, reply.status(), reply.body());
            assertTrue(JSON.readTree(reply.body()).get("healthy").asBoolean(), reply.body());
        }
    }

    @Test
    void aCommandPrintingOneGigabyteIsCappedAndTheHeapStaysBounded() throws Exception {
        FakeBinaries fakes = new FakeBinaries(dir).script("nvidia-smi", "head -c 1073741824 /dev/zero | tr '\\0' 'x'");
        long heapBefore = usedHeapAfterGc();
        try (RunningAgent agent = RunningAgent.uncached(fakes, "60s")) {
            RunningAgent.Reply gpu = agent.get("/gpu/nvidia-smi");
            assertEquals(200, gpu.status());
            JsonNode body = JSON.readTree(gpu.body());
            assertTrue(body.get("stdout_truncated").asBoolean());
            assertEquals(16 * 1024, body.get("stdout").asText().length());
            assertEquals("ok", body.get("status").asText());
            long growth = usedHeapAfterGc() - heapBefore;
            assertTrue(growth < 32L * 1024 * 1024, "heap grew by " + growth / 1024 / 1024 + " MiB while 1 GiB streamed through");
        }
    }

    @Test
    void aStuckCommandDoesNotHoldUpOtherEndpointsDuring500Requests() throws Exception {
        // Stuck until the test releases it, so the agent is not closed with requests still in flight.
        Path release = dir.resolve("release");
        FakeBinaries fakes = new FakeBinaries(dir).script("nvidia-smi", "until [ -e '" + release + "' ]; do sleep 0.05; done");
        try (RunningAgent agent = RunningAgent.uncached(fakes, "30s")) {
            List<CompletableFuture<HttpResponse<String>>> stuck = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                stuck.add(agent.client().sendAsync(HttpRequest.newBuilder(agent.uri("/gpu/nvidia-smi")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            Thread.sleep(300);
            String[] paths = {"/health", "/services", "/services/k3s/status", "/services/k3s/logs?lines=5", "/metrics"};
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                String path = paths[i % paths.length];
                long started = System.nanoTime();
                RunningAgent.Reply reply = agent.get(path);
                millis.add((System.nanoTime() - started) / 1_000_000);
                assertEquals(200, reply.status(), path + ": " + reply.body());
            }
            Collections.sort(millis);
            long p99 = millis.get(millis.size() * 99 / 100);
            assertTrue(p99 < 1000, "p99 while nvidia-smi is stuck: " + p99 + " ms; all: " + millis);
            assertFalse(stuck.stream().anyMatch(CompletableFuture::isDone), "the stuck request answered early");
            long summaries = fakes.argv().stream().filter(line -> line.equals("nvidia-smi")).count();
            assertEquals(1, summaries, "five identical stuck requests share one process: " + fakes.argv());
            Files.createFile(release);
            for (CompletableFuture<HttpResponse<String>> request : stuck) {
                assertEquals(200, request.get(10, TimeUnit.SECONDS).statusCode(), "the released request answers");
            }
        }
    }

    private static void awaitGone(long pid, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (Processes.running(pid)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " " + pid + " still runs after the timeout kill");
            }
            Thread.sleep(50);
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
